using Lineage.Store.Cache;

namespace Lineage.Store;

/// <summary>For any run that loads a model or checkpoint: turns a location into a local folder to load from.</summary>
public static class ModelSource
{
    /// <summary>
    /// A local path as is (file:// converted); an <c>s3://</c> folder downloaded (verified) into the cache,
    /// keyed by its manifest, so the second call for the same published folder downloads nothing.
    /// </summary>
    public static async Task<string> MaterializeAsync(string location, CancellationToken ct, ModelCache? cache = null)
    {
        var where = ArtifactLocation.Parse(location);
        if (where.IsLocal) return where.LocalPath!;
        return await (cache ?? ModelCache.Default).MaterializeAsync(where.Store!, where.Key, ct).ConfigureAwait(false);
    }
}
