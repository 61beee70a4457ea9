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
/// decide, then apply: ConfigMap and Job created once by stable name, suspend synced, status written only
/// when it changed, Events for phase changes and failures.
/// </summary>
public sealed class TrainingRunController<TRun>(TrainingRunKind<TRun> kind, Cluster cluster, ClusterCache cache, StoreAccess stores, IEventSink events,
    DomainMetrics metrics, TimeProvider clock, ILogger logger) : IReconciler<TRun>
    where TRun : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The run (uid) and spec generation whose ConfigMap this process last created or checked.</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, (string? Uid, long? Generation)> configEnsured = new();

    /// <summary>Its own status writes, until the cache has them (a Job event often arrives first).</summary>
    readonly OwnWrites<TRun> ownWrites = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var run = ClusterCache.Writable(ownWrites.Latest(key, kind.Cached(cache, key)));
        if (run is null)
        {
            ownWrites.Forget(key);
            configEnsured.TryRemove(key, out _);
            metrics.ForgetRun(kind.Command, key);
            return ReconcileResult.Done;
        }
        if (run.Metadata.DeletionTimestamp is not null) return ReconcileResult.Done; // its Job and ConfigMap go with it

        var (observation, config) = await ObserveAsync(run, ct).ConfigureAwait(false);
        var plan = TrainingRunDecision.Decide(observation);

        if (plan.EnsureJob && config is not null && !(observation.Job is null && cache.Creating<V1Job>(new ObjectKey(key.Namespace, observation.JobName))))
            await EnsureJobAsync(run, observation, config, ct).ConfigureAwait(false);
        if (!await WriteStatusAsync(run, plan.Status, observation.Progress, ct).ConfigureAwait(false)) return ReconcileResult.After(TimeSpan.FromMilliseconds(200));
        var runEvents = OwnerMapping.ControllerOf(run, KindInfo.Of<Generation>()) is null ? plan.Events : StatusEvents.OfOwnedRun(plan.Events);
        foreach (var e in runEvents) await events.RecordAsync(run, e, ct).ConfigureAwait(false);
        metrics.ObserveRun(kind.Command, key, kind.Status(run));
        return plan.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    async Task<(TrainingRunObservation, object?)> ObserveAsync(TRun run, CancellationToken ct)
    {
        var ns = run.Metadata.NamespaceProperty;
        var storage = kind.Storage(run);
        var jobName = ChildNames.TrainingJob(run.Metadata.Name);
        var (input, inputProblem) = await ResolveInputAsync(ns, kind.Input(run), ct).ConfigureAwait(false);

        object? config = null;
        string? configProblem = stores.Policy.Problem(kind.Resources(run), storage);
        if (input is not null && configProblem is null)
        {
            try { config = kind.Config(run, input); }
            catch (ConfigError e) { configProblem = e.Message; }
        }
        var secret = await stores.SecretStateAsync(ns, storage, ct).ConfigureAwait(false);
        var job = cache.Job(new ObjectKey(ns, jobName));
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

    async Task EnsureJobAsync(TRun run, TrainingRunObservation observation, object config, CancellationToken ct)
    {
        var ns = run.Metadata.NamespaceProperty;
        var owner = OwnerMapping.ControllerReference(run);
        var labels = Labels(run);
        var configMap = ConfigMapRenderer.Render(ChildNames.TrainingConfig(run.Metadata.Name), ns, owner, labels, config);
        // The rendered config changes only with the spec: once the Job exists, the ConfigMap is checked again only
        // when the spec moved past what the status last observed.
        // A status write this process made may not be in the cache yet: what it ensured itself counts as seen too.
        bool specSeen = observation.Job is not null && kind.Status(run)?.ObservedGeneration == run.Metadata.Generation
            || configEnsured.TryGetValue(run.Key(), out var ensured) && ensured == (run.Metadata.Uid, run.Metadata.Generation);
        // Create first (the usual case: one request); only an existing map is read and compared.
        if (!specSeen && !await ApiConflicts.CreateIfAbsentAsync(() => cluster.ConfigMaps.CreateAsync(configMap, ct)).ConfigureAwait(false))
        {
            var existingMap = await cluster.ConfigMaps.GetAsync(new ObjectKey(ns, configMap.Metadata.Name), ct).ConfigureAwait(false);
            if (existingMap is not null && !existingMap.Data.SequenceEqual(configMap.Data))
            {
                existingMap.Data = configMap.Data;
                await cluster.ConfigMaps.ReplaceAsync(existingMap, ct).ConfigureAwait(false);
            }
        }
        if (!specSeen) configEnsured[run.Key()] = (run.Metadata.Uid, run.Metadata.Generation);

        var control = kind.Control(run);
        if (observation.Job is null)
        {
            var job = JobRenderer.Render(new TrainerJob(observation.JobName, ns, owner, labels, kind.Command, configMap.Metadata.Name,
                kind.Resources(run), kind.Storage(run), control.Suspend, control.ActiveDeadlineSeconds, control.BackoffLimit));
            if (await ApiConflicts.CreateIfAbsentAsync(() => cluster.Jobs.CreateAsync(job, ct)).ConfigureAwait(false))
                cache.Created<V1Job>(new ObjectKey(ns, observation.JobName));
        }
        else if ((observation.Job.Spec.Suspend ?? false) != control.Suspend && !(JobState.Of(observation.Job)?.IsFinal ?? false))
        {
            // The cached Job has no pod template (see LineageControllers): write back a live copy.
            var live = await cluster.Jobs.GetAsync(new ObjectKey(ns, observation.JobName), ct).ConfigureAwait(false);
            if (live is null) return;
            live.Spec.Suspend = control.Suspend;
            await cluster.Jobs.ReplaceAsync(live, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the status when it changed; false on a 409 (the caller requeues and starts from a fresh read).</summary>
    async Task<bool> WriteStatusAsync(TRun run, RunStatus status, Progress? progress, CancellationToken ct)
    {
        var before = kind.Status(run);
        kind.SetStatus(run, status, progress);
        if (StatusJson.Same(kind.Status(run), before)) return true;
        try
        {
            var baseVersion = run.Metadata.ResourceVersion;
            ownWrites.Wrote(baseVersion, await kind.Client(cluster).ReplaceStatusAsync(run, ct).ConfigureAwait(false));
            return true;
        }
        catch (Exception e) when (ApiConflicts.IsConflict(e))
        {
            return false;
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
