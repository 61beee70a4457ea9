namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A lineage's champion: its newest Promoted generation.</summary>
public sealed record Champion
{
    /// <summary>The Generation's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Its generation number (0 for the base).</summary>
    public int GenerationNumber { get; init; }
    /// <summary>Its gated score.</summary>
    public double? Score { get; init; }
    /// <summary>Its model in the store.</summary>
    public string? ModelUri { get; init; }
}
