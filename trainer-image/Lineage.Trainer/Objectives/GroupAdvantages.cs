using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>Advantages of one batch of rollouts plus the per-group numbers the trainer logs and filters on.</summary>
/// <param name="Advantages">[B], one per completion; positive = better than its group's mean.</param>
/// <param name="GroupMean">[B/G] mean reward of each group.</param>
/// <param name="GroupStd">[B/G] unbiased standard deviation of each group (0 when G = 1).</param>
/// <param name="ZeroVarianceGroups">per group: all rewards equal, so every advantage is 0 and the group carries no signal.</param>
public sealed record AdvantageBatch(Tensor Advantages, Tensor GroupMean, Tensor GroupStd, bool[] ZeroVarianceGroups)
{
    public int ZeroVarianceGroupCount => ZeroVarianceGroups.Count(z => z);
    public double ZeroVarianceFraction => ZeroVarianceGroups.Length == 0 ? 0 : (double)ZeroVarianceGroupCount / ZeroVarianceGroups.Length;

    /// <summary>
    /// Indices of the completions whose group has signal, in batch order: what dynamic sampling (DAPO)
    /// keeps, since a zero-variance group only adds tokens with zero advantage to the loss's denominator.
    /// </summary>
    public long[] InformativeSequences()
    {
        var groupSize = Advantages.shape[0] / ZeroVarianceGroups.Length;
        return Enumerable.Range(0, ZeroVarianceGroups.Length)
            .Where(g => !ZeroVarianceGroups[g])
            .SelectMany(g => Enumerable.Range(0, (int)groupSize).Select(i => (long)g * groupSize + i))
            .ToArray();
    }
}

/// <summary>
/// GRPO's critic-free baseline: each completion is judged against the other G−1 answers to the same prompt.
/// Follows TRL grpo_trainer.py <c>_generate_and_score_completions</c>: A = r − mean_group, then
/// /(std + 1e-4) with torch's default unbiased (Bessel-corrected) std, group or batch wide.
/// </summary>
public static class GroupAdvantages
{
    /// <summary>TRL's torch.isclose(std, 0) uses atol 1e-8; a group below that has all rewards equal.</summary>
    public const double ZeroStdTolerance = 1e-8;

    /// <summary>
    /// rewards [B] laid out group by group (completions 0..G−1 answer prompt 0, G..2G−1 prompt 1, ...).
    /// Zero-variance groups are detected on the group's std whatever the scaling, because that is what
    /// dynamic sampling filters on (TRL's <c>is_std_zero</c> looks at the batch std under "batch").
    /// </summary>
    public static AdvantageBatch Compute(Tensor rewards, int groupSize, RewardScaling scaling, double epsilon = 1e-4)
    {
        if (rewards.dim() != 1) throw new ArgumentException($"rewards must be [B], got [{string.Join(",", rewards.shape)}]", nameof(rewards));
        if (groupSize < 1) throw new ArgumentOutOfRangeException(nameof(groupSize), groupSize, "groupSize must be >= 1");
        if (rewards.shape[0] == 0 || rewards.shape[0] % groupSize != 0)
            throw new ArgumentException($"rewards has {rewards.shape[0]} entries, not a positive multiple of groupSize {groupSize}", nameof(rewards));
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be >= 0");

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var grouped = rewards.view(-1, groupSize);
        var groupMean = grouped.mean([1L]);
        var centred = (grouped - groupMean.unsqueeze(1)).view(-1);
        // One sample has no spread; torch would return NaN, TRL substitutes 0.
        var groupStd = groupSize > 1 ? grouped.std(1, unbiased: true) : zeros_like(groupMean);

        var advantages = scaling switch
        {
            RewardScaling.Group => centred / (groupStd.repeat_interleave(groupSize) + epsilon),
            RewardScaling.Batch => centred / ((rewards.shape[0] > 1 ? rewards.std(unbiased: true) : zeros_like(rewards)) + epsilon),
            RewardScaling.None => centred,
            _ => throw new ArgumentOutOfRangeException(nameof(scaling), scaling, "unknown reward scaling"),
        };
        var zeroVariance = (groupStd <= ZeroStdTolerance).cpu().data<bool>().ToArray();
        return new AdvantageBatch(advantages.MoveToOuterDisposeScope(), groupMean.MoveToOuterDisposeScope(), groupStd.MoveToOuterDisposeScope(), zeroVariance);
    }
}
