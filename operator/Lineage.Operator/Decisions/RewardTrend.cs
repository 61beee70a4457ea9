using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// A GRPO run's training reward at its start and at its end (progress.json's rewardFirst and rewardLast: means of the
/// first and the last 10 steps, written by the trainer, so they survive an operator restart and a late first look),
/// and the reward it optimised, e.g. <c>judge</c> or <c>accuracy + 0.2·format</c>.
/// </summary>
public sealed record RewardTrend(double First, double Last, string Reward)
{
    /// <summary>
    /// The rise the gate calls material, in reward units. Rule rewards and the judge (score / maxScore) live on [0, 1];
    /// in docs/benchmarks/rlaif.md every run that hacked a learned reward rose more (judge 0.32 → 0.46, reward model
    /// 2.69 → 2.94) while the rule-reward control rose 0.24 → 0.30. A reward model's wider scale reaches it sooner,
    /// which errs toward naming a suspicion; the generation is rejected either way.
    /// </summary>
    public const double MaterialRise = 0.1;

    public bool RoseMaterially => Last - First >= MaterialRise - 1e-9;

    /// <summary>The trend in a run's metrics, or null when its trainer did not report one (a Distillation, an older trainer).</summary>
    public static RewardTrend? Of(RunMetrics? metrics, IReadOnlyList<RewardSpec> rewards) =>
        metrics is { RewardFirst: { } first, RewardLast: { } last } && rewards.Count > 0 ? new(first, last, Describe(rewards)) : null;

    static string Describe(IReadOnlyList<RewardSpec> rewards) =>
        string.Join(" + ", rewards.Select(r => r.Weight == 1 ? r.Name : $"{PromotionGate.F(r.Weight)}·{r.Name}"));
}
