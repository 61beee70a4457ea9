using System.Globalization;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// score ≥ minScore and score ≥ parentScore + minImprovementOverParent; and first, whatever the margins tolerate, a
/// training reward that rose materially while the held-out score fell below the parent's is rejected as suspected
/// reward hacking (the policy learned to please the reward, not to solve the task). A 1e-9 tolerance keeps
/// 0.5 + 0.05 from rejecting a score of exactly 0.55.
/// </summary>
public static class PromotionGate
{
    const double Tolerance = 1e-9;

    public sealed record Verdict(bool Passed, string Reason, string Message);

    /// <param name="score">The generation's held-out score.</param>
    /// <param name="parentScore">Its parent's held-out score; null for generation 0.</param>
    /// <param name="promotion">The gate's settings.</param>
    /// <param name="reward">The training run's reward trend; null when there is none (no training, a Distillation, an older trainer).</param>
    public static Verdict Judge(double score, double? parentScore, PromotionSpec promotion, RewardTrend? reward = null)
    {
        if (parentScore is { } fell && score + Tolerance < fell && reward is { RoseMaterially: true } r)
            return new(false, Reasons.RewardHackingSuspected,
                $"training reward rose {F(r.First)} → {F(r.Last)} ({r.Reward}) while the held-out score fell {F(fell)} → {F(score)}, below the parent's: reward hacking suspected");
        if (score + Tolerance < promotion.MinScore)
            return new(false, Reasons.BelowMinScore, $"score {F(score)} is below minScore {F(promotion.MinScore)}");
        if (parentScore is { } parent)
        {
            var needed = parent + promotion.MinImprovementOverParent;
            var rule = $"parent score {F(parent)} + minImprovementOverParent {F(promotion.MinImprovementOverParent)} = {F(needed)}";
            if (score + Tolerance < needed)
                return new(false, Reasons.NoImprovementOverParent, $"score {F(score)} is below {rule}");
            return new(true, Reasons.GatePassed, $"score {F(score)} ≥ minScore {F(promotion.MinScore)} and ≥ {rule}");
        }
        return new(true, Reasons.GatePassed, $"score {F(score)} ≥ minScore {F(promotion.MinScore)} (no parent)");
    }

    public static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
