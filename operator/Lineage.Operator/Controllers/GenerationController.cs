using System.Security.Cryptography;
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
/// Generation: fetch (gone: done; deleting: finalize), observe the parent chain, owned run and evaluation Job (all
/// from the informer caches), Secret and store, decide, then apply the plan: finalizer and labels in one
/// metadata update (before any child exists), children created once by stable name, status written only
/// when changed, Events.
/// </summary>
public sealed class GenerationController(Cluster cluster, ClusterCache cache, StoreAccess stores, GenerationFinalizer finalizer, IEventSink events,
    DomainMetrics metrics, TimeProvider clock, ILogger logger) : IReconciler<Generation>
{
    /// <summary>How far up a parent chain is followed; longer chains are reported as a cycle would be.</summary>
    const int MaxAncestors = 256;

    /// <summary>The trainer's verdict on the configs each spec renders (<see cref="ConfigProblem"/>), once per spec.</summary>
    readonly SpecMemo<string?> configProblems = new();

    /// <summary>When this process last wrote each undecided Generation's status (a restart starts with none: its first change is written at once).</summary>
    readonly System.Collections.Concurrent.ConcurrentDictionary<ObjectKey, DateTime> statusWritten = new();

    public async Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var generation = ClusterCache.Writable(cache.Generation(key));
        if (generation is null)
        {
            configProblems.Forget(key);
            statusWritten.TryRemove(key, out _);
            metrics.ForgetGeneration(key);
            return ReconcileResult.Done;
        }
        if (generation.Metadata.DeletionTimestamp is not null) return await finalizer.FinalizeAsync(generation, ct).ConfigureAwait(false);

        var observation = await ObserveAsync(generation, ct).ConfigureAwait(false);
        var plan = GenerationDecision.Decide(observation);
        var needsFinalizer = generation.Metadata.Finalizers?.Contains(WellKnown.Finalizer) != true;
        if (needsFinalizer || !SameLabels(generation.Metadata.Labels, plan.Labels))
        {
            if (needsFinalizer) generation.Metadata.Finalizers = [.. generation.Metadata.Finalizers ?? [], WellKnown.Finalizer];
            generation.Metadata.Labels = plan.Labels.ToDictionary();
            generation = await cluster.Generations.ReplaceAsync(generation, ct).ConfigureAwait(false);
        }

        if (plan.GrpoRun is { } grpo && observation.Training is null && !cache.Creating<GrpoRun>(key)
            && await ApiConflicts.CreateIfAbsentAsync(() => cluster.GrpoRuns.CreateAsync(grpo, ct)).ConfigureAwait(false))
            cache.Created<GrpoRun>(key);
        if (plan.Distillation is { } distillation && observation.Training is null && !cache.Creating<Distillation>(key)
            && await ApiConflicts.CreateIfAbsentAsync(() => cluster.Distillations.CreateAsync(distillation, ct)).ConfigureAwait(false))
            cache.Created<Distillation>(key);
        var evalJob = new ObjectKey(key.Namespace, ChildNames.EvaluationJob(key.Name));
        if (plan.EvaluateModel is { } model && observation.EvaluationJob is null && !cache.Creating<V1Job>(evalJob))
            await CreateEvaluationAsync(generation, model, ct).ConfigureAwait(false);
        if (!StatusJson.Same(generation.Status, plan.Status))
        {
            var now = Now();
            var wait = GenerationStatusPacing.Wait(generation.Status, plan.Status, plan.Events.Count, statusWritten.TryGetValue(key, out var last) ? last : null, now);
            if (wait is { } w) return ReconcileResult.After(plan.RequeueAfter is { } poll && poll < w ? poll : w);
            generation.Status = plan.Status;
            try { generation = await cluster.Generations.ReplaceStatusAsync(generation, ct).ConfigureAwait(false); }
            catch (Exception e) when (ApiConflicts.IsConflict(e)) { return ReconcileResult.After(TimeSpan.FromMilliseconds(200)); }
            statusWritten[key] = now;
        }
        foreach (var e in plan.Events) await events.RecordAsync(generation, e, ct).ConfigureAwait(false);
        if (GenerationPhases.IsFinal(plan.Status.Phase))
        {
            // Decided: its spec is not rendered again, and its status is never paced again.
            configProblems.Forget(key);
            statusWritten.TryRemove(key, out _);
        }
        metrics.ObserveGeneration(key, generation);
        return plan.RequeueAfter is { } after ? ReconcileResult.After(after) : ReconcileResult.Done;
    }

    async Task<GenerationObservation> ObserveAsync(Generation generation, CancellationToken ct)
    {
        var ns = generation.Metadata.NamespaceProperty;
        var name = generation.Metadata.Name;
        var spec = generation.Spec;
        // A final generation is decided: nothing below could change its status, so nothing is read for it.
        if (GenerationPhases.IsFinal(generation.Status?.Phase))
            return new GenerationObservation(generation, [], SecretState.NotNeeded, null, null, null, null, null, null, Now());
        var ancestors = Ancestors(generation);
        var secret = await stores.SecretStateAsync(ns, spec.Storage, ct).ConfigureAwait(false);

        TrainingRunSummary? training = null;
        if (spec.Training?.Grpo is not null && cache.GrpoRun(new ObjectKey(ns, name)) is { } grpo)
            training = TrainingRunSummary.Of(GrpoRun.KindName, name, grpo.Status, grpo.Spec.Rewards);
        if (spec.Training?.Distillation is not null && cache.Distillation(new ObjectKey(ns, name)) is { } distill)
            training = TrainingRunSummary.Of(Distillation.KindName, name, distill.Status);

        var evalJob = cache.Job(new ObjectKey(ns, ChildNames.EvaluationJob(name)));
        var evalState = JobState.Of(evalJob)?.State;
        var termination = evalState == JobState.Kind.Failed
            ? TerminationMessages.Latest(await cluster.Pods.ListAsync(ns, $"job-name={evalJob!.Metadata.Name}", ct).ConfigureAwait(false))
            : null;

        EvalResult? result = null;
        string? sha = null;
        var policyProblem = stores.Policy.Problem(spec.Resources, spec.Storage);
        bool storeUsable = (secret is SecretState.Found or SecretState.NotNeeded) && policyProblem is null;
        if (storeUsable && (evalJob is not null || training?.Phase == RunPhases.Succeeded))
        {
            var store = await stores.OpenAsync(ns, spec.Storage, ct).ConfigureAwait(false);
            if (evalState == JobState.Kind.Succeeded) result = await store.ReadEvalResultAsync(StoreUris.LayoutOf(generation), ct).ConfigureAwait(false);
            sha = await ManifestShaAsync(store, generation, training, ct).ConfigureAwait(false);
        }
        var configProblem = policyProblem ?? configProblems.Get(new ObjectKey(ns, name), generation.Metadata.Uid, generation.Metadata.Generation, null,
            () => ConfigProblem(generation));
        return new GenerationObservation(generation, ancestors, secret, training, configProblem, evalJob, termination, result, sha, Now());
    }

    /// <summary>
    /// The parent chain from the informer cache, not the API: the cache applies events in resourceVersion order
    /// and a parent's every change wakes its children after the cache holds it, so a stale read is always followed
    /// by a reconcile that sees the newer chain.
    /// </summary>
    IReadOnlyList<Generation> Ancestors(Generation generation)
    {
        var chain = new List<Generation>();
        var seen = new HashSet<string> { generation.Metadata.Name };
        var next = generation.Spec.Parent;
        while (next is not null && chain.Count < MaxAncestors)
        {
            var ancestor = cache.Generation(new ObjectKey(generation.Metadata.NamespaceProperty, next));
            if (ancestor is null) break;
            chain.Add(ancestor);
            if (!seen.Add(next)) break; // a loop: the decision names it
            next = ancestor.Spec.Parent;
        }
        return chain;
    }

    /// <summary>The trainer's verdict on the configs this generation will render (a placeholder stands in for the input model).</summary>
    static string? ConfigProblem(Generation generation)
    {
        const string input = "s3://placeholder/model";
        try
        {
            if (generation.Spec.Training?.Grpo is { } grpo)
                TrainerConfigFile.Yaml(TrainerConfigs.Grpo(RunTemplates.GrpoRunFor(generation, grpo, input).Spec, input, "spec.training.grpo"), "spec.training.grpo");
            if (generation.Spec.Training?.Distillation is { } d)
                TrainerConfigFile.Yaml(TrainerConfigs.Distill(RunTemplates.DistillationFor(generation, d, input).Spec, input, "spec.training.distillation"), "spec.training.distillation");
            TrainerConfigFile.Yaml(TrainerConfigs.Eval(generation.Spec.Evaluation, input, RunTemplates.EvalResultUri(generation)), "spec.evaluation");
            return null;
        }
        catch (ConfigError e)
        {
            return e.Message;
        }
    }

    async Task<string?> ManifestShaAsync(IArtifactStore store, Generation generation, TrainingRunSummary? training, CancellationToken ct)
    {
        var model = training?.Output ?? (generation.Spec.Training is null ? generation.Spec.Base : RunTemplates.ModelUri(generation));
        if (model is null || StoreUris.KeyUnder(generation.Spec.Storage.Uri, model) is not { } key) return null;
        // Recorded once for this model (status.checkpoint): a published manifest is not rewritten, so it is not read again.
        if (generation.Status?.Checkpoint is { Sha256: { } recorded } checkpoint && checkpoint.Uri == model) return recorded;
        try
        {
            var bytes = await store.ReadSmallAsync($"{key}/{StoreLayout.ManifestFile}", 16 << 20, ct).ConfigureAwait(false);
            return bytes is null ? null : Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Generation {Name}: cannot read the manifest of {Model}: {Error}", generation.Metadata.Name, model, e.Message);
            return null;
        }
    }

    async Task CreateEvaluationAsync(Generation generation, string model, CancellationToken ct)
    {
        var ns = generation.Metadata.NamespaceProperty;
        var name = generation.Metadata.Name;
        var owner = OwnerMapping.ControllerReference(generation);
        var labels = RunTemplates.ChildLabels(generation, "eval");
        var config = TrainerConfigFile.Yaml(TrainerConfigs.Eval(generation.Spec.Evaluation, model, RunTemplates.EvalResultUri(generation)), "spec.evaluation");
        var job = JobRenderer.Render(new TrainerJob(ChildNames.EvaluationJob(name), ns, owner, labels, "eval", config,
            generation.Spec.Resources, generation.Spec.Storage, BackoffLimit: 2));
        if (await ApiConflicts.CreateIfAbsentAsync(() => cluster.Jobs.CreateAsync(job, ct)).ConfigureAwait(false))
            cache.Created<V1Job>(new ObjectKey(ns, job.Metadata.Name));
    }

    static bool SameLabels(IDictionary<string, string>? current, IReadOnlyDictionary<string, string> desired) =>
        (current?.Count ?? 0) == desired.Count && desired.All(kv => current!.TryGetValue(kv.Key, out var v) && v == kv.Value);

    DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
