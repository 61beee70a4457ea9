using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// The Job controller: for each Job, read it and its pods from the informer caches, decide
/// (<see cref="JobDecision"/>), then delete or create pods, write status, release finalizers and write the
/// counted status, as kube-controller-manager does. Pod events update the <see cref="PodExpectations"/> before
/// the Job is queued, so a sync never acts on a cache that lacks its own earlier writes.
/// </summary>
public sealed class JobController : IReconciler<V1Job>
{
    readonly Informer<V1Job> jobs;
    readonly Informer<V1Pod> pods;
    readonly IResourceClient<V1Job> jobClient;
    readonly IResourceClient<V1Pod> podClient;
    readonly PodFinalizers finalizers;
    readonly EventRecorder events;
    readonly JobControllerOptions options;
    readonly TimeProvider clock;
    readonly ILogger log;
    readonly ConcurrentDictionary<ObjectKey, PodFailureBackoff> backoffs = new();
    readonly ConcurrentDictionary<ObjectKey, HashSet<string>> superseded = new();
    readonly ConcurrentDictionary<string, bool> seenPods = new();

    public JobController(
        Informer<V1Job> jobs, Informer<V1Pod> pods, IKubernetes client, EventRecorder events, JobControllerOptions options,
        ILogger<JobController> log, TimeProvider? time = null)
    {
        this.jobs = jobs;
        this.pods = pods;
        jobClient = new ResourceClient<V1Job>(client);
        podClient = new ResourceClient<V1Pod>(client);
        finalizers = new PodFinalizers(client);
        this.events = events;
        this.options = options;
        clock = time ?? TimeProvider.System;
        this.log = log;
        Expectations = new PodExpectations(clock);
    }

    /// <summary>The pod creations, deletions and finalizer removals issued and not yet seen.</summary>
    public PodExpectations Expectations { get; }

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var job = jobs.Get(key);
        if (job is null)
        {
            Expectations.Forget(key);
            backoffs.TryRemove(key, out _);
            superseded.TryRemove(key, out _);
            return ReconcileResult.Done;
        }
        if (IsSuperseded(key, job) || JobSupport.ManagedElsewhere(job)) return ReconcileResult.Done;
        if (JobSupport.Unsupported(job) is { } unsupported)
        {
            await RecordAsync(job, new JobEvent("Warning", "Unsupported", unsupported), ct).ConfigureAwait(false);
            return ReconcileResult.Done;
        }
        if (JobConditionList.IsFinished(job))
        {
            backoffs.TryRemove(key, out _);
            return ReconcileResult.Done;
        }

        var now = Now();
        // Expectations before the pods: a pod event handled in between has already updated the cache, so no pod
        // is seen with a finalizer whose removal is no longer listed as in flight (it would be counted twice).
        var satisfied = Expectations.Satisfied(key);
        var inFlight = Expectations.FinalizerRemovalsInFlight(key);
        var owned = pods.List().Where(p => JobPods.ControlledBy(p, job)).ToList();
        var plan = JobDecision.Decide(new JobObservation(job, owned, satisfied, inFlight,
            backoffs.GetValueOrDefault(key, PodFailureBackoff.None), now, options.PodFailureBackoff, options.MaxPodFailureBackoff));
        if (plan.Status is not null) await ApplyAsync(key, job, owned, inFlight, plan, now, ct).ConfigureAwait(false);
        return plan.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    /// <summary>
    /// Carries out a plan in the real controller's order: pods deleted and created, the status with new uncounted
    /// pods and interim conditions written, finalizers released, then the counted (and maybe finished) status written.
    /// </summary>
    async Task ApplyAsync(ObjectKey key, V1Job job, IReadOnlyList<V1Pod> owned, IReadOnlySet<string> inFlight, JobPlan plan, DateTime now, CancellationToken ct)
    {
        await DeletePodsAsync(key, job, plan.PodsToDelete, ct).ConfigureAwait(false);
        await CreatePodsAsync(key, job, plan.PodsToCreate, ct).ConfigureAwait(false);

        var written = job;
        if (!JobStatusJson.Same(job.Status, plan.Status)) written = await WriteStatusAsync(key, written, plan.Status!, ct).ConfigureAwait(false);
        backoffs[key] = plan.Backoff;

        Expectations.ExpectFinalizerRemovals(key, plan.FinalizersToRemove.Select(PodFacts.Uid));
        var (released, releaseError) = await finalizers.ReleaseAsync(plan.FinalizersToRemove, JobConditions.TrackingFinalizer, ct).ConfigureAwait(false);
        foreach (var pod in plan.FinalizersToRemove.Where(p => !released.Contains(PodFacts.Uid(p))))
            Expectations.FinalizerRemovalObserved(key, PodFacts.Uid(pod));

        var counted = JobStatusJson.Canonical(plan.Status);
        var withFinalizer = owned
            .Where(p => PodFacts.HasFinalizer(p, JobConditions.TrackingFinalizer) && !inFlight.Contains(PodFacts.Uid(p)))
            .Select(PodFacts.Uid).Where(uid => !released.Contains(uid)).ToHashSet();
        JobDecision.CountReleased(counted, withFinalizer);
        var finished = JobDecision.EnactFinish(counted, plan.Finish, plan.Terminating, now);
        if (!JobStatusJson.Same(plan.Status, counted)) written = await WriteStatusAsync(key, written, counted, ct).ConfigureAwait(false);

        foreach (var e in plan.Events) await RecordAsync(written, e, ct).ConfigureAwait(false);
        if (finished is not null) await RecordAsync(written, finished, ct).ConfigureAwait(false);
        if (releaseError is not null) throw releaseError;
    }

    /// <summary>
    /// Pod informer handler, registered before the handler that queues the pod's Job: counts creations and
    /// deletions against the Job's expectations, and notices finalizers that are gone.
    /// </summary>
    public void ObservePod(V1Pod pod, V1Pod? previous)
    {
        if (JobPods.JobOf(pod) is not { } job) return;
        var uid = PodFacts.Uid(pod);
        var deleted = pods.Get(pod.Key()) is not { } cached || PodFacts.Uid(cached) != uid;
        var deleting = pod.Metadata.DeletionTimestamp is not null;
        if (deleted)
        {
            if (seenPods.TryRemove(uid, out var deletionSeen) && !deletionSeen) Expectations.DeletionObserved(job);
            Expectations.FinalizerRemovalObserved(job, uid);
            return;
        }
        if (seenPods.TryAdd(uid, deleting))
        {
            if (deleting) Expectations.DeletionObserved(job);
            else Expectations.CreationObserved(job);
        }
        else if (deleting && seenPods.TryUpdate(uid, true, false)) Expectations.DeletionObserved(job);
        if (!PodFacts.HasFinalizer(pod, JobConditions.TrackingFinalizer)) Expectations.FinalizerRemovalObserved(job, uid);
    }

    async Task DeletePodsAsync(ObjectKey key, V1Job job, IReadOnlyList<PodDeletion> deletions, CancellationToken ct)
    {
        if (deletions.Count == 0) return;
        var expected = deletions.Count(d => d.ReleaseFinalizerFirst);
        if (expected > 0) Expectations.ExpectDeletions(key, expected);
        Exception? error = null;
        foreach (var deletion in deletions)
        {
            try
            {
                if (deletion.ReleaseFinalizerFirst)
                {
                    var (_, releaseError) = await finalizers.ReleaseAsync([deletion.Pod], JobConditions.TrackingFinalizer, ct).ConfigureAwait(false);
                    if (releaseError is not null) throw releaseError;
                }
                await podClient.DeleteAsync(deletion.Pod.Key(), ct).ConfigureAwait(false);
                await RecordAsync(job, new JobEvent("Normal", "SuccessfulDelete", $"Deleted pod: {deletion.Pod.Metadata.Name}"), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (deletion.ReleaseFinalizerFirst) Expectations.DeletionObserved(key);
                await RecordAsync(job, new JobEvent("Warning", "FailedDelete", $"Error deleting: {e.Message}"), ct).ConfigureAwait(false);
                error ??= e;
            }
        }
        if (error is not null) throw new InvalidOperationException($"job {key}: deleting pods failed: {error.Message}", error);
    }

    async Task CreatePodsAsync(ObjectKey key, V1Job job, int count, CancellationToken ct)
    {
        if (count == 0) return;
        Expectations.ExpectCreations(key, count);
        Exception? error = null;
        for (var i = 0; i < count; i++)
        {
            try
            {
                var created = await podClient.CreateAsync(JobPods.NewPod(job), ct).ConfigureAwait(false);
                log.LogInformation("job {Job}: created pod {Pod}", key, created.Metadata.Name);
                await RecordAsync(job, new JobEvent("Normal", "SuccessfulCreate", $"Created pod: {created.Metadata.Name}"), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Expectations.CreationObserved(key);
                await RecordAsync(job, new JobEvent("Warning", "FailedCreate", $"Error creating: {e.Message}"), ct).ConfigureAwait(false);
                error ??= e;
            }
        }
        if (error is not null) throw new InvalidOperationException($"job {key}: creating pods failed: {error.Message}", error);
    }

    /// <summary>
    /// PUT to /status against the version read (409 when the Job changed meanwhile: the sync is retried with a
    /// fresh cache). The version it replaced is remembered, so a lagging cache does not sync the Job again from it.
    /// </summary>
    async Task<V1Job> WriteStatusAsync(ObjectKey key, V1Job current, V1JobStatus status, CancellationToken ct)
    {
        var copy = KubernetesJson.Deserialize<V1Job>(KubernetesJson.Serialize(current));
        copy.Status = JobStatusJson.Canonical(status);
        var written = await jobClient.ReplaceStatusAsync(copy, ct).ConfigureAwait(false);
        var stale = superseded.GetOrAdd(key, _ => []);
        lock (stale) stale.Add(current.Metadata.ResourceVersion);
        return written;
    }

    bool IsSuperseded(ObjectKey key, V1Job cached)
    {
        if (!superseded.TryGetValue(key, out var stale)) return false;
        lock (stale)
        {
            if (stale.Contains(cached.Metadata.ResourceVersion)) return true;
            stale.Clear();
            return false;
        }
    }

    Task RecordAsync(V1Job job, JobEvent e, CancellationToken ct) =>
        events.RecordAsync(job, e.Type == "Warning" ? EventType.Warning : EventType.Normal, e.Reason, e.Message, ct);

    DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
