using k8s.Models;

namespace Lineage.LocalNode.Jobs;

/// <summary>A pod the Job controller deletes; suspension and scale-down first release its tracking finalizer, so it is not counted as failed.</summary>
public sealed record PodDeletion(V1Pod Pod, bool ReleaseFinalizerFirst);

/// <summary>An Event the controller records on the Job.</summary>
public sealed record JobEvent(string Type, string Reason, string Message);

/// <summary>
/// What one sync of a Job does, in the real controller's order: delete or create pods, write <see cref="Status"/>
/// (new uncounted pods and interim conditions), remove finalizers from <see cref="FinalizersToRemove"/>, then count
/// them and, once nothing is uncounted or terminating, add <see cref="Finish"/> (<see cref="JobDecision.CountReleased"/>, <see cref="JobDecision.EnactFinish"/>).
/// </summary>
public sealed record JobPlan
{
    public static readonly JobPlan Nothing = new();

    /// <summary>Nothing now: the pod cache has not shown this controller's own creates and deletes yet.</summary>
    public static readonly JobPlan WaitForCache = new() { RequeueAfter = TimeSpan.FromSeconds(1) };

    /// <summary>The status to write first; null when the Job is finished and nothing is to be done.</summary>
    public V1JobStatus? Status { get; init; }
    public int PodsToCreate { get; init; }
    public IReadOnlyList<PodDeletion> PodsToDelete { get; init; } = [];
    public IReadOnlyList<V1Pod> FinalizersToRemove { get; init; } = [];
    /// <summary>The terminal condition (Complete or Failed) to add once every finished pod is counted.</summary>
    public V1JobCondition? Finish { get; init; }
    /// <summary>Pods being deleted and not yet terminal, including those this plan deletes; the Job is not finished while any remain.</summary>
    public int Terminating { get; init; }
    public IReadOnlyList<JobEvent> Events { get; init; } = [];
    public TimeSpan? RequeueAfter { get; init; }
    /// <summary>The backoff record once this sync's finished pods are counted.</summary>
    public PodFailureBackoff Backoff { get; init; } = PodFailureBackoff.None;
}
