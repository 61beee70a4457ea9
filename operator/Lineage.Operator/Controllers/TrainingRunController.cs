using k8s;
using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Observability;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;
using Lineage.Store;
using Microsoft.Extensions.Logging;

namespace Lineage.Operator.Controllers;

/// <summary>
/// GrpoRun and Distillation: fetch, observe (input model, Secret, Job, progress.json, termination message),
/// decide, then apply: the Job (its trainer config inside, see <see cref="TrainerConfigFile"/>) created once by stable
/// name, replaced while suspended when an edit changed its config, suspend synced, status written only when it changed,
/// Events for phase changes and failures.
/// </summary>
public sealed class TrainingRunController<TRun>(TrainingRunKind<TRun> kind, Cluster cluster, ClusterCache cache, StoreAccess stores, IEventSink events,
    DomainMetrics metrics, TimeProvider clock, ILogger logger) : IReconciler<TRun>
    where TRun : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Its own status writes, until the cache has them (a Job event often arrives first).</summary>
    readonly OwnWrites<TRun> ownWrites = new();

    /// <summary>When this process last wrote each run's status (for <see cref="RunStatusPacing"/>; a restart starts with none).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, DateTime> statusWritten = new();

    /// <summary>
    /// Jobs this controller created (pod template dropped, as the cache keeps them) until the cache holds that Job
    /// (same uid) or <see cref="CreationExpectations.Ttl"/> passes: the run's status is decided from the Job as created
    /// ("no running pod yet", or suspended), not from its absence, so it is written once instead of "creating Job"
    /// first and "no running pod yet" when the Job reaches the cache.
    /// </summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, (V1Job Job, DateTimeOffset At)> created = new();

    /// <summary>The trainer config each spec and input render (or why they cannot), once per spec.</summary>
    readonly SpecMemo<(string? Config, string? Problem)> configs = new();

    /// <summary>The run informer received a version of <paramref name="run"/> (register on it: <see cref="OwnWrites{T}.Observed"/>).</summary>
    public void Observed(TRun run) => ownWrites.Observed(run);

    /// <summary>Status writes remembered until the cache receives them (none once the cache has caught up).</summary>
    public int PendingOwnWrites => ownWrites.Count;

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var run = ClusterCache.Writable(ownWrites.Latest(key, kind.Cached(cache, key)));
        if (run is null)
        {
            ownWrites.Forget(key);
            statusWritten.TryRemove(key, out _);
            configs.Forget(key);
            created.TryRemove(new ObjectKey(key.Namespace, ChildNames.TrainingJob(key.Name)), out _);
            metrics.ForgetRun(kind.Command, key);
            return ReconcileResult.Done;
        }
        if (run.Metadata.DeletionTimestamp is not null) return ReconcileResult.Done; // its Job goes with it

        var (observation, config) = await ObserveAsync(run, ct).ConfigureAwait(false);
        var plan = TrainingRunDecision.Decide(observation);

        if (plan.EnsureJob && config is not null && !(observation.Job is null && cache.Creating<V1Job>(new ObjectKey(key.Namespace, observation.JobName)))
            && await EnsureJobAsync(run, observation, config, ct).ConfigureAwait(false) is { } job)
        {
            // The status tells the Job as it now is (the first write of a new run is already "no running pod yet").
            observation = observation with { Job = job };
            plan = TrainingRunDecision.Decide(observation);
        }
        if (await WriteStatusAsync(key, run, plan.Status, observation.Progress, ct).ConfigureAwait(false) is { } stop) return stop;
        var runEvents = OwnerMapping.ControllerOf(run, KindInfo.Of<Generation>()) is null ? plan.Events : StatusEvents.OfOwnedRun(plan.Events);
        foreach (var e in runEvents) await events.RecordAsync(run, e, ct).ConfigureAwait(false);
        if (RunPhases.IsFinal(kind.Status(run)?.Phase)) configs.Forget(key); // its Job is done: the config is not needed again
        metrics.ObserveRun(kind.Command, key, kind.Status(run));
        return plan.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    async Task<(TrainingRunObservation, string?)> ObserveAsync(TRun run, CancellationToken ct)
    {
        var ns = run.Metadata.NamespaceProperty;
        var storage = kind.Storage(run);
        var jobName = ChildNames.TrainingJob(run.Metadata.Name);
        var (input, inputProblem) = await ResolveInputAsync(ns, kind.Input(run), ct).ConfigureAwait(false);

        string? config = null;
        string? configProblem = stores.Policy.Problem(kind.Resources(run), storage);
        if (input is not null && configProblem is null)
            (config, configProblem) = configs.Get(run.Key(), run.Metadata.Uid, run.Metadata.Generation, input, () =>
            {
                try { return (TrainerConfigFile.Yaml(kind.Config(run, input), "spec"), null); }
                catch (ConfigError e) { return (null, e.Message); }
            });
        var secret = await stores.SecretStateAsync(ns, storage, ct).ConfigureAwait(false);
        var job = JobOf(new ObjectKey(ns, jobName));
        var progress = job is null || secret is SecretState.Missing or SecretState.KeyMissing or SecretState.Forbidden || configProblem is not null ? null : await ReadProgressAsync(run, ct).ConfigureAwait(false);
        var termination = JobState.Of(job)?.State == JobState.Kind.Failed
            ? TerminationMessages.Latest(await cluster.Pods.ListAsync(ns, $"job-name={jobName}", ct).ConfigureAwait(false))
            : null;
        return (new TrainingRunObservation(run.Metadata.Generation ?? 0, kind.Status(run), kind.Control(run), input, inputProblem, configProblem,
            secret, storage.SecretName, jobName, kind.Output(run), job, progress, termination, Now()), config);
    }

    /// <summary>The input's model URI ("" when the run needs none), or null and why it is not known yet.</summary>
    async Task<(string?, string?)> ResolveInputAsync(string ns, ModelRef? input, CancellationToken ct)
    {
        if (input is null) return ("", null);
        if (input.Uri is { } uri) return (uri, null);
        var generation = cache.Generation(new ObjectKey(ns, input.Generation!));
        if (generation is null) return (null, $"Generation {input.Generation} not found");
        if (generation.Status is { Phase: GenerationPhases.Promoted, Checkpoint.Uri: { } checkpoint }) return (checkpoint, null);
        return (null, $"Generation {input.Generation} is {generation.Status?.Phase ?? GenerationPhases.Pending}, not Promoted");
    }

    async Task<Progress?> ReadProgressAsync(TRun run, CancellationToken ct)
    {
        var storage = kind.Storage(run);
        if (StoreUris.ProgressKey(storage.Uri, kind.Output(run)) is not { } key) return null;
        try
        {
            var store = await stores.OpenAsync(run.Metadata.NamespaceProperty, storage, ct).ConfigureAwait(false);
            return await store.ReadJsonAsync<Progress>(key, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Progress is best effort: the Job's state still drives the phase.
            logger.LogWarning("{Kind} {Name}: cannot read {Key}: {Error}", run.Kind, run.Metadata.Name, key, e.Message);
            return null;
        }
    }

    /// <summary>The cached Job, or the one this controller created while the cache does not hold it yet.</summary>
    V1Job? JobOf(ObjectKey key)
    {
        var cached = cache.Job(key);
        if (!created.TryGetValue(key, out var mine)) return cached;
        if (cached?.Metadata.Uid != mine.Job.Metadata.Uid && clock.GetUtcNow() - mine.At < CreationExpectations.Ttl) return mine.Job;
        created.TryRemove(key, out _);
        return cached;
    }

    /// <summary>Creates the Job when missing, replaces a suspended one whose config an edit changed, syncs suspend; the Job it created, or null.</summary>
    async Task<V1Job?> EnsureJobAsync(TRun run, TrainingRunObservation observation, string config, CancellationToken ct)
    {
        var ns = run.Metadata.NamespaceProperty;
        var control = kind.Control(run);
        var job = JobRenderer.Render(new TrainerJob(observation.JobName, ns, OwnerMapping.ControllerReference(run), Labels(run), kind.Command, config,
            kind.Resources(run), kind.Storage(run), control.Suspend, control.ActiveDeadlineSeconds, control.BackoffLimit));
        var existing = observation.Job;
        if (existing is not null && JobState.Of(existing)?.State == JobState.Kind.Suspended && control.Suspend
            && !(existing.Metadata.Annotations?.TryGetValue(TrainerConfigFile.HashAnnotation, out var hash) == true && hash == job.Metadata.Annotations[TrainerConfigFile.HashAnnotation]))
        {
            // An edit changed the config, and a pod template cannot change: a suspended Job with no pod left is
            // replaced by one carrying the new config (its trainer resumes from the last checkpoint when resumed).
            // A running Job keeps the config it started with until the run is suspended.
            // A Job made by an earlier version (its config in a ConfigMap, no hash) is replaced the same way.
            await cluster.Jobs.DeleteAsync(existing.Key(), ct).ConfigureAwait(false);
            logger.LogInformation("{Kind} {Name}: Job {Job} replaced while suspended: the spec's trainer config changed", run.Kind, run.Metadata.Name, observation.JobName);
            existing = null;
        }
        if (existing is null)
        {
            V1Job? made = null;
            if (!await ApiConflicts.CreateIfAbsentAsync(async () => made = await cluster.Jobs.CreateAsync(job, ct).ConfigureAwait(false)).ConfigureAwait(false))
                return null;
            var jobKey = new ObjectKey(ns, observation.JobName);
            cache.Created<V1Job>(jobKey);
            CachedJob.Slim(made!);
            created[jobKey] = (made!, clock.GetUtcNow());
            return made;
        }
        else if ((existing.Spec.Suspend ?? false) != control.Suspend && !(JobState.Of(existing)?.IsFinal ?? false))
        {
            // The cached Job has no pod template (see LineageControllers): write back a live copy.
            var live = await cluster.Jobs.GetAsync(new ObjectKey(ns, observation.JobName), ct).ConfigureAwait(false);
            if (live is null) return null;
            live.Spec.Suspend = control.Suspend;
            await cluster.Jobs.ReplaceAsync(live, ct).ConfigureAwait(false);
        }
        return null;
    }

    /// <summary>
    /// Writes the status when it changed, or lets progress that a user does not act on wait (<see cref="RunStatusPacing"/>);
    /// null to go on, else what the reconcile returns: a requeue when the write waits, or after a 409 (the next
    /// reconcile starts from a fresh read).
    /// </summary>
    async Task<ReconcileResult?> WriteStatusAsync(ObjectKey key, TRun run, RunStatus status, Progress? progress, CancellationToken ct)
    {
        var before = kind.Status(run);
        kind.SetStatus(run, status, progress);
        if (StatusJson.Same(kind.Status(run), before)) return null;
        var now = Now();
        if (RunStatusPacing.Wait(before, status, statusWritten.TryGetValue(key, out var last) ? last : null, now) is { } wait)
            return ReconcileResult.After(wait);
        try
        {
            var baseVersion = run.Metadata.ResourceVersion;
            var written = await kind.Client(cluster).ReplaceStatusAsync(run, ct).ConfigureAwait(false);
            ownWrites.Wrote(baseVersion, written, cachedNow: kind.Cached(cache, key));
            statusWritten[key] = now;
            return null;
        }
        catch (Exception e) when (ApiConflicts.IsConflict(e))
        {
            return ReconcileResult.After(TimeSpan.FromMilliseconds(200));
        }
    }

    Dictionary<string, string> Labels(TRun run)
    {
        var labels = new Dictionary<string, string> { [WellKnown.RoleLabel] = "train", [WellKnown.ManagedBy] = WellKnown.ManagerName };
        foreach (var key in new[] { WellKnown.LineageLabel, WellKnown.GenerationLabel })
            if (run.Metadata.Labels?.TryGetValue(key, out var value) == true) labels[key] = value;
        return labels;
    }

    DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
