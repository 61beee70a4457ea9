using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>How the run's Job is driven: paused, bounded in time, retried.</summary>
public abstract record RunControl
{
    /// <summary>Pause the run: the Job is suspended and its pod removed; unsuspending resumes from the last checkpoint.</summary>
    public bool Suspend { get; init; }
    /// <summary>Wall-clock limit of the Job in seconds; exceeded means Failed (DeadlineExceeded).</summary>
    [Range(1)]
    public long? ActiveDeadlineSeconds { get; init; }
    /// <summary>Pod restarts before the run fails; each restart resumes from the last checkpoint.</summary>
    [Range(0, 100)]
    public int BackoffLimit { get; init; } = 3;
}
