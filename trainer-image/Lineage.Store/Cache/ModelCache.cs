using Lineage.Store.Publication;

namespace Lineage.Store.Cache;

/// <summary>
/// A local copy of published folders, keyed by the sha256 of their manifest: <c>&lt;dir&gt;/&lt;sha&gt;/</c>.
/// The same manifest is downloaded once; a second load costs one manifest read. A folder appears under its
/// final name only after every file was verified (downloaded beside it, then renamed).
/// </summary>
public sealed class ModelCache(string directory)
{
    public const string DirectoryVariable = "LINEAGE_CACHE_DIR";

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>LINEAGE_CACHE_DIR, else $XDG_CACHE_HOME/lineage, else ~/.cache/lineage.</summary>
    public static ModelCache Default => new(DefaultDirectory());

    public static string DefaultDirectory() =>
        Environment.GetEnvironmentVariable(DirectoryVariable) is { Length: > 0 } dir ? dir
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "lineage")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "lineage");

    /// <summary>The local path of the folder published under <paramref name="prefix"/>, downloading it when not cached.</summary>
    public async Task<string> MaterializeAsync(IArtifactStore store, string prefix, CancellationToken ct)
    {
        var artifact = await store.ReadAsync(prefix, ct).ConfigureAwait(false)
            ?? throw new ArtifactStoreException($"{store.Root}/{prefix}: no manifest.json (never published, or its upload did not finish)");
        return await MaterializeAsync(store, artifact, ct).ConfigureAwait(false);
    }

    public async Task<string> MaterializeAsync(IArtifactStore store, PublishedArtifact artifact, CancellationToken ct)
    {
        string target = PathFor(artifact);
        if (File.Exists(Path.Combine(target, Lineage.Contracts.Store.StoreLayout.ManifestFile))) return target;
        System.IO.Directory.CreateDirectory(Directory);
        string partial = $"{target}.{Guid.NewGuid():N}.partial";
        try
        {
            await store.DownloadAsync(artifact, partial, ct).ConfigureAwait(false);
            if (System.IO.Directory.Exists(target)) System.IO.Directory.Delete(target, recursive: true);   // an incomplete leftover
            System.IO.Directory.Move(partial, target);
        }
        catch (IOException) when (File.Exists(Path.Combine(target, Lineage.Contracts.Store.StoreLayout.ManifestFile)))
        {
            // Another process finished the same download first; its copy is as good as ours.
        }
        finally
        {
            if (System.IO.Directory.Exists(partial)) System.IO.Directory.Delete(partial, recursive: true);
        }
        return target;
    }

    public string PathFor(PublishedArtifact artifact) => Path.Combine(Directory, artifact.ManifestSha256);
}
