using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>The knobs of one GRPO loss evaluation; the config layer maps GrpoConfig onto this.</summary>
/// <param name="Beta">KL coefficient; 0 = no reference policy needed.</param>
/// <param name="EpsilonLow">lower clip bound: ρ ≥ 1 − ε_low.</param>
/// <param name="EpsilonHigh">upper clip bound: ρ ≤ 1 + ε_high (DAPO clip-higher when larger than ε_low).</param>
/// <param name="LossType">aggregation, see <see cref="LossAggregation.Aggregate"/>.</param>
/// <param name="MaxCompletionLength">the sampler's max new tokens; dr_grpo's fixed normaliser.</param>
public sealed record GrpoLossOptions(double Beta, double EpsilonLow, double EpsilonHigh, LossType LossType, int MaxCompletionLength);

/// <summary>What one GRPO loss evaluation measured, over unmasked tokens (TRL's logged metrics).</summary>
/// <param name="KlMean">mean k3 KL per token; null when β = 0 (no reference was consulted).</param>
/// <param name="Clip">share of tokens clipped, low / high / either side.</param>
/// <param name="RatioMean">mean ρ per token: 1 on the first pass over fresh rollouts, drifts with μ &gt; 1.</param>
public sealed record GrpoLossStats(double? KlMean, ClipFractions Clip, double RatioMean);

/// <param name="Loss">scalar to back-propagate.</param>
public sealed record GrpoLossResult(Tensor Loss, GrpoLossStats Stats);

/// <summary>
/// The GRPO objective as TRL grpo_trainer.py <c>_compute_loss</c> builds it: clipped surrogate per token,
/// plus β·k3 KL to the reference, aggregated by loss type. Minimising it raises the probability of
/// tokens in completions with positive advantage.
/// </summary>
public static class GrpoLoss
{
    /// <param name="logp">[B,T] log-probs of the sampled tokens under the policy being trained (with grad).</param>
    /// <param name="oldLogp">[B,T] log-probs at sampling time; null on the single pass (μ = 1), where TRL uses logp.detach() so ρ = 1 but the gradient is that of ρ.</param>
    /// <param name="refLogp">[B,T] reference log-probs; required when β ≠ 0, ignored when β = 0.</param>
    /// <param name="advantages">[B] from <see cref="GroupAdvantages"/>.</param>
    /// <param name="mask">[B,T] 1 for tokens that count, 0 for padding (and truncated completions when masked).</param>
    /// <param name="dapoTokenCount">dapo only: tokens of the whole optimiser step, see <see cref="LossAggregation.Aggregate"/>.</param>
    public static GrpoLossResult Compute(Tensor logp, Tensor? oldLogp, Tensor? refLogp, Tensor advantages, Tensor mask,
        GrpoLossOptions options, double? dapoTokenCount = null)
    {
        Shapes.RequireBatchByTime(logp, nameof(logp));
        Shapes.RequireSame(logp, mask, nameof(logp), nameof(mask));
        if (options.Beta < 0) throw new ArgumentOutOfRangeException(nameof(options), options.Beta, "Beta must be >= 0");
        if (options.Beta != 0 && refLogp is null) throw new ArgumentNullException(nameof(refLogp), $"Beta = {options.Beta} needs reference log-probs");

        using var scope = NewDisposeScope();
        var old = oldLogp ?? logp.detach();
        var perToken = ClippedSurrogate.PerTokenLoss(logp, old, advantages, options.EpsilonLow, options.EpsilonHigh);
        Tensor? kl = null;
        if (options.Beta != 0)
        {
            kl = K3Kl.Compute(logp, refLogp!);
            perToken = perToken + options.Beta * kl;
        }
        var loss = LossAggregation.Aggregate(perToken, mask, options.LossType, options.MaxCompletionLength, dapoTokenCount);

        GrpoLossStats stats;
        using (no_grad())
        {
            var ratio = PolicyRatio.Compute(logp.detach(), old.detach());
            stats = new GrpoLossStats(
                kl is null ? null : MaskedMean(kl.detach(), mask),
                ClipFractions.Measure(ratio, advantages, mask, options.EpsilonLow, options.EpsilonHigh),
                MaskedMean(ratio, mask));
        }
        return new GrpoLossResult(loss.MoveToOuterDisposeScope(), stats);
    }

    static double MaskedMean(Tensor values, Tensor mask) =>
        ((values * mask).sum() / mask.sum().clamp_min(1.0)).ToDouble();
}
