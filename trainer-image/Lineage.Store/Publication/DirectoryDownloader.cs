using Lineage.Contracts.Store;
using Lineage.Store.Resilience;

namespace Lineage.Store.Publication;

/// <summary>
/// Downloads a published directory, streaming each file to disk through a sha256 and checking size and hash
/// against the manifest; a mismatch is an error naming the file. A broken transfer is retried per file.
/// </summary>
public static class DirectoryDownloader
{
    /// <summary>Downloads <paramref name="artifact"/> into <paramref name="localDirectory"/> (created), manifest.json last.</summary>
    public static async Task DownloadAsync(this IArtifactStore store, PublishedArtifact artifact, string localDirectory,
        CancellationToken ct, StoreRetry? retry = null)
    {
        Directory.CreateDirectory(localDirectory);
        foreach (var file in artifact.Manifest.Files)
        {
            string key = StoreKeys.Join(artifact.Prefix, file.Path);
            string target = Path.Combine(localDirectory, file.Path.Replace('/', Path.DirectorySeparatorChar));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            await (retry ?? StoreRetry.Default).ExecuteAsync(token => DownloadFileAsync(store, key, file, target, token), $"{store.Root}/{key}", ct)
                .ConfigureAwait(false);
        }
        var manifest = await store.ReadSmallAsync(StoreKeys.Join(artifact.Prefix, StoreLayout.ManifestFile), 16 << 20, ct).ConfigureAwait(false)
            ?? throw new ArtifactStoreException($"{store.Root}/{artifact.Prefix}: manifest.json disappeared during the download (deleted or being republished)");
        await File.WriteAllBytesAsync(Path.Combine(localDirectory, StoreLayout.ManifestFile), manifest, ct).ConfigureAwait(false);
    }

    /// <summary>Reads the manifest under <paramref name="prefix"/> and downloads it; an unpublished prefix is an error.</summary>
    public static async Task<PublishedArtifact> DownloadAsync(this IArtifactStore store, string prefix, string localDirectory, CancellationToken ct)
    {
        var artifact = await store.ReadAsync(prefix, ct).ConfigureAwait(false)
            ?? throw new ArtifactStoreException($"{store.Root}/{prefix}: no manifest.json (never published, or its upload did not finish)");
        await store.DownloadAsync(artifact, localDirectory, ct).ConfigureAwait(false);
        return artifact;
    }

    static async Task DownloadFileAsync(IArtifactStore store, string key, ManifestFile file, string target, CancellationToken ct)
    {
        string source = $"{store.Root}/{key}";
        var stream = await store.OpenReadAsync(key, ct).ConfigureAwait(false)
            ?? throw new InvalidDataException($"{source}: listed in the manifest but missing from the store");
        string temp = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (stream.ConfigureAwait(false))
            await using (var hashing = new HashingStream(stream, leaveOpen: true))
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                // Two buffers: the next chunk arrives (and is hashed) while the previous one is written.
                byte[][] buffers = [new byte[1 << 20], new byte[1 << 20]];
                Task writing = Task.CompletedTask;
                int current = 0, n;
                while ((n = await hashing.ReadAsync(buffers[current], ct).ConfigureAwait(false)) > 0)
                {
                    if (hashing.BytesRead > file.Size) throw new InvalidDataException($"{source}: larger than the {file.Size} bytes its manifest says");
                    await writing.ConfigureAwait(false);
                    writing = output.WriteAsync(buffers[current].AsMemory(0, n), ct).AsTask();
                    current ^= 1;
                }
                await writing.ConfigureAwait(false);
                if (hashing.BytesRead != file.Size)
                    throw new InvalidDataException($"{source}: {hashing.BytesRead} bytes, but its manifest says {file.Size}");
                string sha = hashing.Sha256();
                if (sha != file.Sha256) throw new InvalidDataException($"{source}: sha256 {sha} does not match its manifest's {file.Sha256} (corrupted)");
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
