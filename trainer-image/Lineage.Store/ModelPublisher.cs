using Lineage.Contracts.Store;
using Lineage.Store.Publication;

namespace Lineage.Store;

/// <summary>For any run that saved a model or checkpoint folder locally: publishes it, manifest last.</summary>
public static class ModelPublisher
{
    /// <summary>
    /// <c>s3://</c>: uploads <paramref name="localDirectory"/> under the key, then manifest.json. A local target:
    /// the same folder gets manifest.json in place; another folder gets a verified copy, manifest last.
    /// </summary>
    public static async Task<CheckpointManifest> PublishAsync(string localDirectory, string location, long step, string creator, CancellationToken ct)
    {
        var where = ArtifactLocation.Parse(location);
        if (!where.IsLocal)
        {
            if (where.Key.Length == 0) throw new ArgumentException($"'{location}': publish under a key, not the bucket's root");
            return (await where.Store!.PublishAsync(localDirectory, where.Key, step, creator, ct).ConfigureAwait(false)).Manifest;
        }
        if (Path.GetFullPath(localDirectory).TrimEnd(Path.DirectorySeparatorChar) == where.LocalPath!.TrimEnd(Path.DirectorySeparatorChar))
            return await LocalManifest.WriteAsync(localDirectory, step, creator, ct).ConfigureAwait(false);
        var target = new FileSystemStore(where.LocalPath!);
        return (await target.PublishAsync(localDirectory, "", step, creator, ct).ConfigureAwait(false)).Manifest;
    }
}
