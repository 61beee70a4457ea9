using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>One observation about the object, keyed by type (Kubernetes API conventions).</summary>
public sealed record Condition
{
    /// <summary>CamelCase condition type, see ConditionTypes.</summary>
    [Required]
    public string Type { get; init; } = "";
    /// <summary>True, False or Unknown.</summary>
    [Required, Enum("True", "False", "Unknown")]
    public string Status { get; init; } = "Unknown";
    /// <summary>CamelCase reason, see Reasons.</summary>
    public string? Reason { get; init; }
    /// <summary>For a human: what happened, with the numbers.</summary>
    public string? Message { get; init; }
    /// <summary>When status last changed (not when the message did).</summary>
    public DateTime? LastTransitionTime { get; init; }
    /// <summary>metadata.generation this condition was computed from.</summary>
    public long? ObservedGeneration { get; init; }
}
