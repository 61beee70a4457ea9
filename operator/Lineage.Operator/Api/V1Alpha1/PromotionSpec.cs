using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// The gate: promoted when score ≥ minScore and score ≥ parent's score + minImprovementOverParent. In manual
/// mode a passing generation also waits for the annotation lineage.dev/approved: "true". Whatever the margins, a
/// generation whose GRPO training reward rose by 0.1 or more while its score fell below the parent's is rejected
/// (RewardHackingSuspected).
/// </summary>
public sealed record PromotionSpec
{
    public const string Auto = "auto";
    public const string Manual = "manual";

    /// <summary>Lowest acceptable score (0–1).</summary>
    [Range(0, 1)]
    public double MinScore { get; init; }
    /// <summary>How much the score must beat the parent's; negative tolerates a regression.</summary>
    [Range(-1, 1)]
    public double MinImprovementOverParent { get; init; }
    /// <summary>auto promotes when the gate passes; manual also waits for the approval annotation.</summary>
    [Enum(Auto, Manual)]
    public string Mode { get; init; } = Auto;
}
