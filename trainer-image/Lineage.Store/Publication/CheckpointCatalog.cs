using Lineage.Contracts.Store;

namespace Lineage.Store.Publication;

/// <summary>
/// The checkpoints a reader may use: <c>step-N/</c> folders whose manifest parses and whose listed files
/// are all present with the listed sizes. "Latest" is the highest such step — what a restarted pod resumes from.
/// </summary>
public static class CheckpointCatalog
{
    /// <summary>Valid checkpoints under <paramref name="checkpointsPrefix"/>, oldest step first.</summary>
    public static async Task<IReadOnlyList<PublishedArtifact>> ListCheckpointsAsync(this IArtifactStore store, string checkpointsPrefix, CancellationToken ct)
    {
        var objects = await store.ListAsync(StoreKeys.Folder(checkpointsPrefix), ct).ConfigureAwait(false);
        var valid = new List<PublishedArtifact>();
        foreach (var folder in StepFolders(checkpointsPrefix, objects).OrderBy(f => f.Step))
        {
            if (!folder.Sizes.ContainsKey(StoreLayout.ManifestFile)) continue;
            PublishedArtifact? artifact;
            try { artifact = await store.ReadAsync(folder.Prefix, ct).ConfigureAwait(false); }
            catch (InvalidDataException) { continue; }   // a malformed manifest is not a valid checkpoint
            if (artifact is not null && artifact.Manifest.Files.All(f => folder.Sizes.TryGetValue(f.Path, out long size) && size == f.Size))
                valid.Add(artifact);
        }
        return valid;
    }

    public static Task<IReadOnlyList<PublishedArtifact>> ListCheckpointsAsync(this IArtifactStore store, StoreLayout layout, CancellationToken ct) =>
        store.ListCheckpointsAsync(layout.Checkpoints, ct);

    /// <summary>The highest step with a valid manifest, or null.</summary>
    public static async Task<PublishedArtifact?> LatestCheckpointAsync(this IArtifactStore store, string checkpointsPrefix, CancellationToken ct) =>
        (await store.ListCheckpointsAsync(checkpointsPrefix, ct).ConfigureAwait(false)) is { Count: > 0 } all ? all[^1] : null;

    public static Task<PublishedArtifact?> LatestCheckpointAsync(this IArtifactStore store, StoreLayout layout, CancellationToken ct) =>
        store.LatestCheckpointAsync(layout.Checkpoints, ct);

    /// <summary>Every step-N folder with its objects (relative path → size), manifest or not.</summary>
    internal static IEnumerable<StepFolder> StepFolders(string checkpointsPrefix, IReadOnlyList<StoredObject> objects)
    {
        string root = StoreKeys.Folder(checkpointsPrefix);
        return objects
            .Where(o => o.Key.StartsWith(root, StringComparison.Ordinal) && o.Key.IndexOf('/', root.Length) > 0)
            .GroupBy(o => o.Key[root.Length..o.Key.IndexOf('/', root.Length)])
            .Select(g => (Name: g.Key, Step: StoreLayout.StepOf(g.Key), Objects: g))
            .Where(g => g.Step is not null)
            .Select(g => new StepFolder(g.Step!.Value, root + g.Name,
                g.Objects.ToDictionary(o => o.Key[(root.Length + g.Name.Length + 1)..], o => o.Size, StringComparer.Ordinal),
                g.Objects.Select(o => o.Key).ToList()));
    }

    internal sealed record StepFolder(long Step, string Prefix, IReadOnlyDictionary<string, long> Sizes, IReadOnlyList<string> Keys);
}
