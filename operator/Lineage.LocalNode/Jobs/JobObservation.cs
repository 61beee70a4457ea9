using k8s.Models;

namespace Lineage.LocalNode.Jobs;

/// <summary>Everything the Job decision reads: the Job, its pods (from the informer cache) and the controller's memory.</summary>
/// <param name="Job">The Job as cached.</param>
/// <param name="Pods">Pods whose controller is this Job.</param>
/// <param name="ExpectationsSatisfied">Every pod create and delete issued earlier has been seen in the cache.</param>
/// <param name="FinalizerRemovalsInFlight">Pods whose tracking finalizer was removed by an earlier sync, not yet seen in the cache.</param>
/// <param name="Backoff">Failures since the last success, for the delay before a replacement pod.</param>
/// <param name="Now">The time of this decision.</param>
/// <param name="BackoffBase">The first delay after a failure (the real controller: 10 s).</param>
/// <param name="BackoffMax">The longest delay (the real controller: 10 minutes).</param>
public sealed record JobObservation(
    V1Job Job,
    IReadOnlyList<V1Pod> Pods,
    bool ExpectationsSatisfied,
    IReadOnlySet<string> FinalizerRemovalsInFlight,
    PodFailureBackoff Backoff,
    DateTime Now,
    TimeSpan BackoffBase,
    TimeSpan BackoffMax);
