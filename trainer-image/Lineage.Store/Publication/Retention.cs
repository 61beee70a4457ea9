using Lineage.Contracts.Store;

namespace Lineage.Store.Publication;

/// <summary>
/// What the operator deletes: old training checkpoints beyond the last K, and a finished generation's
/// artifacts — never the <c>model/</c> of a promoted generation. Manifests go first, so a half-deleted
/// folder is never mistaken for a published one.
/// </summary>
public static class Retention
{
    /// <summary>
    /// Keeps the <paramref name="keep"/> newest valid checkpoints; deletes older ones and unfinished uploads older
    /// than the oldest kept (a newer unfinished one may still be uploading). Returns the deleted steps.
    /// </summary>
    public static async Task<IReadOnlyList<long>> PruneCheckpointsAsync(this IArtifactStore store, string checkpointsPrefix, int keep, CancellationToken ct)
    {
        if (keep < 1) throw new ArgumentOutOfRangeException(nameof(keep), keep, "keep: at least one checkpoint must be kept");
        var valid = await store.ListCheckpointsAsync(checkpointsPrefix, ct).ConfigureAwait(false);
        if (valid.Count == 0) return [];
        var kept = valid.TakeLast(keep).Select(a => a.Step).ToHashSet();
        long oldestKept = kept.Min();
        var objects = await store.ListAsync(StoreKeys.Folder(checkpointsPrefix), ct).ConfigureAwait(false);
        var deleted = new List<long>();
        foreach (var folder in CheckpointCatalog.StepFolders(checkpointsPrefix, objects).OrderBy(f => f.Step))
        {
            if (kept.Contains(folder.Step) || folder.Step > oldestKept) continue;
            await DeleteKeysAsync(store, folder.Keys, ct).ConfigureAwait(false);
            deleted.Add(folder.Step);
        }
        return deleted;
    }

    public static Task<IReadOnlyList<long>> PruneCheckpointsAsync(this IArtifactStore store, StoreLayout layout, int keep, CancellationToken ct) =>
        store.PruneCheckpointsAsync(layout.Checkpoints, keep, ct);

    /// <summary>Deletes a generation's artifacts; with <paramref name="keepModel"/> its <c>model/</c> stays (a promoted generation).</summary>
    public static async Task<int> DeleteGenerationAsync(this IArtifactStore store, StoreLayout layout, bool keepModel, CancellationToken ct)
    {
        var objects = await store.ListAsync(StoreKeys.Folder(layout.Root), ct).ConfigureAwait(false);
        string model = StoreKeys.Folder(layout.Model);
        var doomed = objects.Select(o => o.Key).Where(k => !(keepModel && k.StartsWith(model, StringComparison.Ordinal))).ToList();
        await DeleteKeysAsync(store, doomed, ct).ConfigureAwait(false);
        return doomed.Count;
    }

    static async Task DeleteKeysAsync(IArtifactStore store, IReadOnlyList<string> keys, CancellationToken ct)
    {
        foreach (var key in keys.OrderBy(k => k.EndsWith("/" + StoreLayout.ManifestFile, StringComparison.Ordinal) ? 0 : 1).ThenBy(k => k, StringComparer.Ordinal))
            await store.DeleteAsync(key, ct).ConfigureAwait(false);
    }
}
