using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// One sync of a batch/v1 Job, as kube-controller-manager's Job controller (v1.33+) decides it, for NonIndexed
/// Jobs without a success policy: pods are created up to parallelism and the remaining
/// completions; each terminated pod is first listed in <c>uncountedTerminatedPods</c>, its tracking finalizer
/// removed, then counted (unless the pod failure policy ignores it); a pod failure policy's FailJob rule, more
/// counted failures than <c>backoffLimit</c> or a passed <c>activeDeadlineSeconds</c> set
/// <c>FailureTarget</c> (active pods are deleted) and later <c>Failed</c>; enough successes set
/// <c>SuccessCriteriaMet</c> and later <c>Complete</c>; <c>suspend</c> deletes active pods and sets <c>Suspended</c>.
/// Nothing is decided while the pod cache lacks the controller's own creates and deletes. Pure: observation in, plan out.
/// </summary>
public static class JobDecision
{
    public static JobPlan Decide(JobObservation o)
    {
        var job = o.Job;
        if (JobConditionList.IsFinished(job)) return JobPlan.Nothing;
        // The cache lacks pods this controller created or deleted: counters read from it would be stale (a Job
        // would flap to active 0 and back). The pod events on their way sync the Job again; the retry is a safety net.
        if (!o.ExpectationsSatisfied) return JobPlan.WaitForCache;
        var spec = job.Spec ?? new V1JobSpec();
        var status = Clone(job.Status ?? new V1JobStatus());
        status.Conditions ??= [];
        var uncounted = status.UncountedTerminatedPods ??= new V1UncountedTerminatedPods();
        uncounted.Succeeded ??= [];
        uncounted.Failed ??= [];
        var now = o.Now;
        var suspended = spec.Suspend == true;
        var events = new List<JobEvent>();
        TimeSpan? requeue = null;

        var pods = o.Pods;
        var active = pods.Where(PodFacts.IsActive).ToList();
        var ready = active.Count(PodFacts.IsReady);
        var terminating = pods.Count(PodFacts.IsTerminating);
        bool Countable(V1Pod p) => PodFacts.HasFinalizer(p, JobConditions.TrackingFinalizer) && !o.FinalizerRemovalsInFlight.Contains(PodFacts.Uid(p));
        var newSucceeded = pods.Where(p => Countable(p) && !uncounted.Succeeded.Contains(PodFacts.Uid(p)) && PodFacts.IsSucceeded(p)).ToList();
        var newFailed = pods.Where(p => Countable(p) && !uncounted.Failed.Contains(PodFacts.Uid(p)) && IsPodFailed(p, spec)).ToList();
        var ignored = newFailed.Where(p => !PodFailurePolicies.Match(spec.PodFailurePolicy, p).CountsAsFailed).Select(PodFacts.Uid).ToHashSet();
        var succeeded = (status.Succeeded ?? 0) + newSucceeded.Count + uncounted.Succeeded.Count;
        var failed = (status.Failed ?? 0) + newFailed.Count - ignored.Count + uncounted.Failed.Count;
        var failJobMessage = pods.Where(p => IsPodFailed(p, spec))
            .Select(p => PodFailurePolicies.Match(spec.PodFailurePolicy, p).FailJobMessage)
            .FirstOrDefault(m => m is not null);

        if (status.StartTime is null && !suspended) status.StartTime = now;
        var backoff = o.Backoff.After(newSucceeded, newFailed);

        V1JobCondition? finished = null;
        if (JobConditionList.Find(status.Conditions, JobConditions.SuccessCriteriaMet) is { Status: "True" } met) finished = met;
        else if (JobConditionList.Find(status.Conditions, JobConditions.FailureTarget) is { Status: "True" } target)
            finished = JobConditionList.New(JobConditions.Failed, "True", target.Reason ?? "", target.Message ?? "", now);
        else if (failJobMessage is not null)
            finished = JobConditionList.New(JobConditions.FailureTarget, "True", PodFailurePolicies.Reason, failJobMessage, now);
        else if (failed > (spec.BackoffLimit ?? 6))
            finished = JobConditionList.New(JobConditions.FailureTarget, "True", JobConditions.BackoffLimitExceeded, JobConditions.BackoffLimitExceededMessage, now);
        else if (PastActiveDeadline(job, status, now))
            finished = JobConditionList.New(JobConditions.FailureTarget, "True", JobConditions.DeadlineExceeded, JobConditions.DeadlineExceededMessage, now);
        else if (spec.ActiveDeadlineSeconds is { } deadline && !suspended && status.StartTime is { } started)
            requeue = TimeSpan.FromSeconds(deadline) - (now - started);

        var deletions = new List<PodDeletion>();
        var creates = 0;
        var activeCount = active.Count;
        if (finished is not null)
        {
            // Remove active pods of a finishing Job; it is finished only once they are gone and counted.
            deletions.AddRange(active.Select(p => new PodDeletion(p, ReleaseFinalizerFirst: false)));
            activeCount = 0;
            terminating += active.Count;
            ready = 0;
        }
        else
        {
            var manageCalled = false;
            if (job.Metadata?.DeletionTimestamp is null)
            {
                manageCalled = true;
                if (suspended)
                {
                    deletions.AddRange(active.Select(p => new PodDeletion(p, ReleaseFinalizerFirst: true)));
                    terminating += active.Count;
                    activeCount = 0;
                    ready = 0;
                }
                else
                {
                    var parallelism = spec.Parallelism ?? 1;
                    var want = spec.Completions is { } completions
                        ? Math.Clamp(completions - succeeded, 0, parallelism)
                        : succeeded > 0 ? activeCount : parallelism;
                    if (activeCount > want)
                    {
                        var surplus = RemovalOrder(active).Take(activeCount - want).ToList();
                        deletions.AddRange(surplus.Select(p => new PodDeletion(p, ReleaseFinalizerFirst: true)));
                        terminating += surplus.Count;
                        ready -= surplus.Count(PodFacts.IsReady);
                        activeCount -= surplus.Count;
                    }
                    else if (want > activeCount + (PodFailurePolicies.OnlyReplaceFailedPods(spec) ? terminating : 0))
                    {
                        var wait = backoff.Remaining(now, o.BackoffBase, o.BackoffMax);
                        if (wait > TimeSpan.Zero) requeue = Min(requeue, wait);
                        else
                        {
                            creates = want - activeCount - (PodFailurePolicies.OnlyReplaceFailedPods(spec) ? terminating : 0);
                            activeCount += creates;
                        }
                    }
                }
            }
            var complete = spec.Completions is { } needed
                ? succeeded >= needed && activeCount == 0
                : succeeded > 0 && activeCount == 0;
            if (complete)
                finished = JobConditionList.New(JobConditions.SuccessCriteriaMet, "True", JobConditions.CompletionsReached, JobConditions.CompletionsReachedMessage, now);
            else if (manageCalled)
            {
                if (suspended)
                {
                    if (JobConditionList.Ensure(status.Conditions, JobConditions.Suspended, "True", JobConditions.JobSuspended, JobConditions.JobSuspendedMessage, now))
                    {
                        events.Add(new JobEvent("Normal", "Suspended", JobConditions.JobSuspendedMessage));
                        // v1.35+: a suspended Job forgets its start, so resuming may set it again (startTime is
                        // immutable while the Job is not suspended).
                        status.StartTime = null;
                    }
                }
                else if (JobConditionList.Ensure(status.Conditions, JobConditions.Suspended, "False", JobConditions.JobResumed, JobConditions.JobResumedMessage, now))
                {
                    events.Add(new JobEvent("Normal", "Resumed", JobConditions.JobResumedMessage));
                    status.StartTime = now;
                }
            }
        }

        status.Active = activeCount;
        status.Ready = ready;
        status.Terminating = terminating;

        // trackJobStatusAndRemoveFinalizers: list finished pods as uncounted, release their finalizers.
        var withFinalizer = pods.Where(Countable).Select(PodFacts.Uid).ToHashSet();
        CountReleased(status, withFinalizer);
        var release = new List<V1Pod>();
        foreach (var pod in pods)
        {
            if (!Countable(pod)) continue;
            var uid = PodFacts.Uid(pod);
            var considerFailed = IsPodFailed(pod, spec);
            var canRelease = job.Metadata?.DeletionTimestamp is not null || finished is not null || PodFacts.IsSucceeded(pod) || considerFailed;
            if (!canRelease) continue;
            release.Add(pod);
            if (PodFacts.IsSucceeded(pod) && !uncounted.Failed.Contains(uid))
            {
                if (!uncounted.Succeeded.Contains(uid)) uncounted.Succeeded.Add(uid);
            }
            else if (considerFailed && ignored.Contains(uid)) { }
            else if (considerFailed || (finished is not null && finished.Type != JobConditions.SuccessCriteriaMet))
            {
                // When the Job is finishing, every pod that did not succeed counts as failed.
                if (!uncounted.Failed.Contains(uid)) uncounted.Failed.Add(uid);
            }
        }

        V1JobCondition? finish = null;
        if (finished?.Type == JobConditions.FailureTarget)
        {
            status.Conditions.Add(finished);
            finish = JobConditionList.New(JobConditions.Failed, "True", finished.Reason ?? "", finished.Message ?? "", now);
        }
        else if (finished?.Type == JobConditions.SuccessCriteriaMet)
        {
            if (!JobConditionList.IsTrue(status.Conditions, JobConditions.SuccessCriteriaMet)) status.Conditions.Add(finished);
            finish = JobConditionList.New(JobConditions.Complete, "True", finished.Reason ?? "", finished.Message ?? "", now);
        }
        else if (finished?.Type == JobConditions.Failed) finish = finished;

        return new JobPlan
        {
            Status = status,
            PodsToCreate = creates,
            PodsToDelete = deletions,
            FinalizersToRemove = release,
            Finish = finish,
            Terminating = terminating,
            Events = events,
            RequeueAfter = requeue,
            Backoff = backoff,
        };
    }

    /// <summary>
    /// Moves pods listed as uncounted whose finalizer is gone into the succeeded and failed counters
    /// (cleanUncountedPodsWithoutFinalizers); <paramref name="withFinalizer"/> holds the uids that still carry it.
    /// Returns whether anything moved.
    /// </summary>
    public static bool CountReleased(V1JobStatus status, IReadOnlySet<string> withFinalizer)
    {
        var uncounted = status.UncountedTerminatedPods;
        if (uncounted is null) return false;
        var moved = false;
        var succeeded = (uncounted.Succeeded ?? []).Where(withFinalizer.Contains).ToList();
        if (succeeded.Count != (uncounted.Succeeded?.Count ?? 0))
        {
            status.Succeeded = (status.Succeeded ?? 0) + uncounted.Succeeded!.Count - succeeded.Count;
            uncounted.Succeeded = succeeded;
            moved = true;
        }
        var failed = (uncounted.Failed ?? []).Where(withFinalizer.Contains).ToList();
        if (failed.Count != (uncounted.Failed?.Count ?? 0))
        {
            status.Failed = (status.Failed ?? 0) + uncounted.Failed!.Count - failed.Count;
            uncounted.Failed = failed;
            moved = true;
        }
        return moved;
    }

    /// <summary>
    /// Adds the terminal condition once no pod is uncounted or terminating (enactJobFinished): Complete also sets
    /// completionTime. Returns the Event to record, or null when the Job cannot finish yet.
    /// </summary>
    public static JobEvent? EnactFinish(V1JobStatus status, V1JobCondition? finish, int terminating, DateTime now)
    {
        if (finish is null) return null;
        var uncounted = status.UncountedTerminatedPods;
        if ((uncounted?.Succeeded?.Count ?? 0) + (uncounted?.Failed?.Count ?? 0) > 0) return null;
        if (terminating > 0) return null;
        status.Conditions ??= [];
        JobConditionList.Ensure(status.Conditions, finish.Type, finish.Status, finish.Reason ?? "", finish.Message ?? "", now);
        if (finish.Type == JobConditions.Complete)
        {
            status.CompletionTime = now;
            return new JobEvent("Normal", "Completed", "Job completed");
        }
        return new JobEvent("Warning", finish.Reason ?? "", finish.Message ?? "");
    }

    /// <summary>
    /// Failed, or deleted before it could succeed (orphans that never reach a terminal phase count as failures) —
    /// except when failed pods are replaced only once terminal (a pod failure policy): then only phase Failed.
    /// </summary>
    public static bool IsPodFailed(V1Pod pod, V1JobSpec spec) =>
        pod.Status?.Phase == PodPhases.Failed
        || (!PodFailurePolicies.OnlyReplaceFailedPods(spec) && pod.Metadata?.DeletionTimestamp is not null && pod.Status?.Phase != PodPhases.Succeeded);

    static bool PastActiveDeadline(V1Job job, V1JobStatus status, DateTime now) =>
        job.Spec?.ActiveDeadlineSeconds is { } deadline && status.StartTime is { } started && job.Spec.Suspend != true
        && now - started >= TimeSpan.FromSeconds(deadline);

    /// <summary>Pods to remove first: unscheduled before scheduled, pending before running, not ready before ready, newest first.</summary>
    static IEnumerable<V1Pod> RemovalOrder(IEnumerable<V1Pod> pods) => pods
        .OrderBy(p => string.IsNullOrEmpty(p.Spec?.NodeName) ? 0 : 1)
        .ThenBy(p => p.Status?.Phase == PodPhases.Pending ? 0 : p.Status?.Phase == PodPhases.Running ? 2 : 1)
        .ThenBy(p => PodFacts.IsReady(p) ? 1 : 0)
        .ThenByDescending(p => p.Metadata?.CreationTimestamp ?? DateTime.MinValue);

    static TimeSpan Min(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    static V1JobStatus Clone(V1JobStatus status) => KubernetesJson.Deserialize<V1JobStatus>(KubernetesJson.Serialize(status));
}
