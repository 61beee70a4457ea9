using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>When a lineage has stopped improving: patience generations in a row without minImprovement over the champion.</summary>
public sealed record StopRule
{
    /// <summary>Generations in a row without an improving promotion before the lineage stops (0 = never stop early).</summary>
    [Range(0, 200)]
    public int Patience { get; init; } = 2;
    /// <summary>How much a promotion must raise the champion's score to count as an improvement.</summary>
    [Range(0, 1)]
    public double MinImprovement { get; init; } = 0.01;
}
