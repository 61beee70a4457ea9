using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// Releases the tracking finalizer of pods whose Job is gone (deleted, or replaced by a namesake) or finished
/// (the Job controller's orphan-pod sync), so the garbage collector's deletion of a Job's pods completes.
/// </summary>
public sealed class OrphanPodFinalizers(Informer<V1Job> jobs, Informer<V1Pod> pods, IKubernetes client, PodExpectations expectations) : IReconciler<V1Pod>
{
    readonly PodFinalizers finalizers = new(client);

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var pod = pods.Get(key);
        if (pod is null || !PodFacts.HasFinalizer(pod, JobConditions.TrackingFinalizer)) return ReconcileResult.Done;
        if (PodFacts.ControllerOf(pod) is { } owner && (owner.Kind != "Job" || owner.ApiVersion != "batch/v1")) return ReconcileResult.Done;
        if (JobPods.JobOf(pod) is { } jobKey)
        {
            // The Job controller released it already; the cache has not shown it yet. Read the pod again after this
            // check: a removal observed meanwhile is in the cache by then.
            if (expectations.FinalizerRemovalsInFlight(jobKey).Contains(PodFacts.Uid(pod))) return ReconcileResult.Done;
            pod = pods.Get(key);
            if (pod is null || !PodFacts.HasFinalizer(pod, JobConditions.TrackingFinalizer)) return ReconcileResult.Done;
            if (jobs.Get(jobKey) is { } job && JobPods.ControlledBy(pod, job) && !JobConditionList.IsFinished(job)) return ReconcileResult.Done;
        }
        var (_, error) = await finalizers.ReleaseAsync([pod], JobConditions.TrackingFinalizer, ct).ConfigureAwait(false);
        if (error is not null) throw error;
        return ReconcileResult.Done;
    }

    /// <summary>The pods to look at again when a Job changes: all of its pods once it is gone or finished.</summary>
    public IEnumerable<ObjectKey> PodsOf(V1Job job)
    {
        var current = jobs.Get(job.Key());
        var gone = current is null || current.Metadata.Uid != job.Metadata.Uid;
        if (!gone && !JobConditionList.IsFinished(current!)) return [];
        return pods.List()
            .Where(p => PodFacts.ControllerOf(p)?.Uid == job.Metadata.Uid && PodFacts.HasFinalizer(p, JobConditions.TrackingFinalizer))
            .Select(p => p.Key())
            .ToList();
    }
}
