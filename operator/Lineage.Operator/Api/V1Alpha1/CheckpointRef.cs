namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A model directory in the store and the sha256 of its manifest.json (pins the exact bytes).</summary>
public sealed record CheckpointRef
{
    /// <summary>Store URI of the model directory.</summary>
    public string? Uri { get; init; }
    /// <summary>sha256 of the directory's manifest.json, hex.</summary>
    public string? Sha256 { get; init; }
}
