namespace Lineage.Store.Tests.Support;

/// <summary>A real store whose process "dies" (throws) once <paramref name="writesBeforeCrash"/> objects were written: a pod killed mid-upload.</summary>
sealed class CrashingStore(IArtifactStore inner, int writesBeforeCrash) : IArtifactStore
{
    int writes;
    public string Root => inner.Root;
    public Task<Stream?> OpenReadAsync(string key, CancellationToken ct) => inner.OpenReadAsync(key, ct);
    public Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken ct) => inner.ListAsync(prefix, ct);
    public Task DeleteAsync(string key, CancellationToken ct) => inner.DeleteAsync(key, ct);

    public Task WriteAsync(string key, Stream content, CancellationToken ct) { Count(key); return inner.WriteAsync(key, content, ct); }
    public Task WriteAsync(string key, Func<Stream> openContent, CancellationToken ct) { Count(key); return inner.WriteAsync(key, openContent, ct); }

    void Count(string key)
    {
        if (++writes > writesBeforeCrash) throw new OperationCanceledException($"killed before writing {key}");
    }
}
