using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Decisions;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>
/// Runs before a Generation goes away: stops its in-flight Jobs (the evaluation Job and the training run,
/// whose Job follows it), applies retention, then releases the finalizer. With retention delete, the model
/// stays while another Generation names this one as parent (its checkpoint is their input); the rest goes.
/// </summary>
public sealed class GenerationFinalizer(Cluster cluster, StoreAccess stores, IEventSink events)
{
    public async Task<ReconcileResult> FinalizeAsync(Generation generation, CancellationToken ct)
    {
        if (generation.Metadata.Finalizers?.Contains(WellKnown.Finalizer) != true) return ReconcileResult.Done;
        var ns = generation.Metadata.NamespaceProperty;
        var name = generation.Metadata.Name;

        await cluster.Jobs.DeleteAsync(new ObjectKey(ns, ChildNames.EvaluationJob(name)), ct).ConfigureAwait(false);
        if (generation.Spec.Training?.Grpo is not null) await cluster.GrpoRuns.DeleteAsync(new ObjectKey(ns, name), ct).ConfigureAwait(false);
        if (generation.Spec.Training?.Distillation is not null) await cluster.Distillations.DeleteAsync(new ObjectKey(ns, name), ct).ConfigureAwait(false);

        if (generation.Spec.Storage.Retention == Retention.Delete && stores.Policy.StorageProblem(generation.Spec.Storage) is { } refused)
            await events.RecordAsync(generation, new EventIntent(EventIntent.Warning, "RetentionSkipped", $"nothing deleted: {refused}"), ct).ConfigureAwait(false);
        else if (generation.Spec.Storage.Retention == Retention.Delete)
        {
            var children = (await cluster.Generations.ListAsync(ns, null, ct).ConfigureAwait(false))
                .Where(g => g.Spec.Parent == name && g.Metadata.DeletionTimestamp is null)
                .Select(g => g.Metadata.Name)
                .ToList();
            try
            {
                await DeleteArtifactsAsync(generation, keepModel: children.Count > 0, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await events.RecordAsync(generation, new EventIntent(EventIntent.Warning, "RetentionFailed", $"could not delete artifacts: {e.Message}"), ct).ConfigureAwait(false);
                return ReconcileResult.After(TimeSpan.FromSeconds(30));
            }
            if (children.Count > 0)
                await events.RecordAsync(generation, new EventIntent(EventIntent.Normal, "ModelRetained",
                    $"kept {RunTemplates.ModelUri(generation)}: it is the input of {string.Join(", ", children)}"), ct).ConfigureAwait(false);
        }

        generation.Metadata.Finalizers = generation.Metadata.Finalizers.Where(f => f != WellKnown.Finalizer).ToList();
        try
        {
            await cluster.Generations.ReplaceAsync(generation, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiConflicts.IsConflict(e))
        {
            return ReconcileResult.After(TimeSpan.FromMilliseconds(200));
        }
        return ReconcileResult.Done;
    }

    async Task DeleteArtifactsAsync(Generation generation, bool keepModel, CancellationToken ct)
    {
        var store = await stores.OpenAsync(generation.Metadata.NamespaceProperty, generation.Spec.Storage, ct).ConfigureAwait(false);
        var layout = StoreUris.LayoutOf(generation);
        foreach (var item in await store.ListAsync(layout.Root + "/", ct).ConfigureAwait(false))
        {
            if (keepModel && item.Key.StartsWith(layout.Model + "/", StringComparison.Ordinal)) continue;
            await store.DeleteAsync(item.Key, ct).ConfigureAwait(false);
        }
    }
}
