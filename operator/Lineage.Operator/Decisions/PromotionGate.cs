using System.Globalization;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// score ≥ minScore and score ≥ parentScore + minImprovementOverParent. A 1e-9 tolerance keeps
/// 0.5 + 0.05 from rejecting a score of exactly 0.55.
/// </summary>
public static class PromotionGate
{
    const double Tolerance = 1e-9;

    public sealed record Verdict(bool Passed, string Reason, string Message);

    public static Verdict Judge(double score, double? parentScore, PromotionSpec promotion)
    {
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
