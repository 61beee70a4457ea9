using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>What a training run's Job and progress.json say, mirrored at least every 30 s while it runs.</summary>
public record RunStatus
{
    /// <summary>Pending, Running, Suspended, Succeeded or Failed.</summary>
    public string? Phase { get; init; }
    /// <summary>Latest observations, keyed by type.</summary>
    [ListMap("type")]
    public IReadOnlyList<Condition> Conditions { get; init; } = [];
    /// <summary>metadata.generation this status was computed from.</summary>
    public long? ObservedGeneration { get; init; }
    /// <summary>Last completed optimizer step.</summary>
    public long? Step { get; init; }
    /// <summary>Steps in the whole run.</summary>
    public long? TotalSteps { get; init; }
    /// <summary>Latest training metrics.</summary>
    public RunMetrics? Metrics { get; init; }
    /// <summary>Store URI of the newest checkpoint (where a restarted pod resumes).</summary>
    public string? LastCheckpoint { get; init; }
    /// <summary>Pod failures so far (each one resumed from the last checkpoint).</summary>
    public int? Restarts { get; init; }
    /// <summary>When the Job started.</summary>
    public DateTime? StartTime { get; init; }
    /// <summary>When the Job finished.</summary>
    public DateTime? CompletionTime { get; init; }
    /// <summary>The Job running the trainer.</summary>
    public string? JobName { get; init; }
    /// <summary>Store URI of the trained model once the run succeeded.</summary>
    public string? Output { get; init; }
}
