using System.Text;
using Lineage.Contracts.Store;

namespace Lineage.Store.Publication;

/// <summary>
/// Publishes a local directory under a store prefix: the old manifest (if any) goes first so readers stop
/// trusting the old files, then every file (hashed while it uploads), then manifest.json last. A crash at any
/// point before the manifest leaves nothing a reader would use.
/// </summary>
public static class DirectoryPublisher
{
    public static async Task<PublishedArtifact> PublishAsync(this IArtifactStore store, string localDirectory, string prefix,
        long step, string creator, CancellationToken ct)
    {
        if (!Directory.Exists(localDirectory)) throw new DirectoryNotFoundException($"{localDirectory}: directory to publish not found");
        string manifestKey = StoreKeys.Join(prefix, StoreLayout.ManifestFile);
        await store.DeleteAsync(manifestKey, ct).ConfigureAwait(false);

        var files = new List<ManifestFile>();
        foreach (var relative in LocalFiles(localDirectory))
        {
            string path = Path.Combine(localDirectory, relative.Replace('/', Path.DirectorySeparatorChar));
            HashingStream? last = null;
            // Opened again on every attempt, so a retried upload re-reads the file from its start.
            await store.WriteAsync(StoreKeys.Join(prefix, relative), () => last = new HashingStream(OpenRead(path)), ct).ConfigureAwait(false);
            long size = new FileInfo(path).Length;
            if (last is null || last.BytesRead != size)
                throw new IOException($"{path}: {last?.BytesRead ?? 0} of {size} bytes were read while uploading (did the file change?)");
            files.Add(new ManifestFile(relative, size, last.Sha256()));
        }

        var manifest = new CheckpointManifest { Files = files, Step = step, Creator = creator, CreatedAt = DateTimeOffset.UtcNow };
        var bytes = Encoding.UTF8.GetBytes(ContractJson.Serialize(manifest));
        await store.WriteAsync(manifestKey, new MemoryStream(bytes, writable: false), ct).ConfigureAwait(false);
        return new PublishedArtifact(prefix.Trim('/'), manifest, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
    }

    /// <summary>Files under <paramref name="directory"/> as '/'-separated relative paths, in ordinal order, without manifest.json and temp files.</summary>
    public static IReadOnlyList<string> LocalFiles(string directory) => Directory
        .EnumerateFiles(directory, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(directory, f).Replace(Path.DirectorySeparatorChar, '/'))
        .Where(f => f != StoreLayout.ManifestFile && !f.EndsWith(".tmp", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal)
        .ToList();

    static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
}
