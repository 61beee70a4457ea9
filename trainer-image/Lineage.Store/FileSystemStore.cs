namespace Lineage.Store;

/// <summary>The embedded mode's store: a local folder, written through a temp file and a rename.</summary>
public sealed class FileSystemStore(string rootDirectory) : IArtifactStore
{
    readonly string root = Path.GetFullPath(rootDirectory);

    public string Root => new Uri(root + Path.DirectorySeparatorChar).AbsoluteUri.TrimEnd('/');

    // No FileStream buffer (bufferSize 0): every caller reads and writes in chunks of its own (SmallObjects, the
    // downloader's 1 MiB buffers, CopyToAsync's pooled 1 MiB). A 1 MiB buffer per stream was a large-object-heap
    // allocation per open, so an operator reading a 300-byte progress.json ran a full (gen2) GC every few reads
    // (docs/benchmarks/operator.md).
    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        string path = PathOf(key);
        Stream? stream = File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken ct)
    {
        string path = PathOf(key);
        string temp = $"{path}.{Guid.NewGuid():N}.tmp";
        var moved = false;
        try
        {
            await using (var file = CreateNew(temp))
                await content.CopyToAsync(file, 1 << 20, ct).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved && File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>The temp file, its folders made only when missing (a write into an existing folder costs no stat of each level).</summary>
    static FileStream CreateNew(string temp)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(temp)!);
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, useAsync: true);
        }
    }

    public async Task WriteAsync(string key, Func<Stream> openContent, CancellationToken ct)
    {
        await using var content = openContent();
        await WriteAsync(key, content, ct).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken ct)
    {
        if (prefix.StartsWith('/') || prefix.Split('/').Any(part => part is "." or ".."))
            throw new ArgumentException($"store prefix '{prefix}' must be relative without '.' or '..' parts", nameof(prefix));
        // Walk only the folder the prefix names, not the whole root.
        int slash = prefix.LastIndexOf('/');
        string start = slash <= 0 ? root : Path.Combine(root, prefix[..slash].Replace('/', Path.DirectorySeparatorChar));
        IReadOnlyList<StoredObject> found = !Directory.Exists(start) ? [] : Directory
            .EnumerateFiles(start, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => new StoredObject(Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), new FileInfo(f).Length))
            .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(o => o.Key, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(found);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        string path = PathOf(key);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    string PathOf(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"store key '{key}' must be a relative path without empty, '.' or '..' parts", nameof(key));
        return Path.Combine(root, key.Replace('/', Path.DirectorySeparatorChar));
    }
}
