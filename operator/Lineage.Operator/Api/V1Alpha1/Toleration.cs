using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>Lets training pods land on tainted nodes (GPU pools usually carry a taint).</summary>
public sealed record Toleration
{
    /// <summary>Taint key; empty with operator Exists matches every taint.</summary>
    public string? Key { get; init; }
    /// <summary>Exists or Equal. Default Equal.</summary>
    [Enum("Exists", "Equal")]
    public string Operator { get; init; } = "Equal";
    /// <summary>Taint value for operator Equal.</summary>
    public string? Value { get; init; }
    /// <summary>NoSchedule, PreferNoSchedule or NoExecute; empty matches all effects.</summary>
    [Enum("NoSchedule", "PreferNoSchedule", "NoExecute")]
    public string? Effect { get; init; }
    /// <summary>For NoExecute: how long the pod stays after the taint appears.</summary>
    [Range(0)]
    public long? TolerationSeconds { get; init; }
}
