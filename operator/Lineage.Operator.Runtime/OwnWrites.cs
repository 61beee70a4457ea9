using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Read-your-own-writes over an informer cache. After a controller writes an object, another watch (say, of the Job it
/// just created) can wake it before its own write reaches the cache; writing again from the stale copy meets a 409 and a
/// retry. The controller remembers what it wrote and on which resourceVersion; while the cache still holds exactly that
/// older version, the written object is the current one. Any other version in the cache (the write arrived, or someone
/// else changed the object) wins and the memory is dropped, so this never hides a change made elsewhere.
/// A controller that ignores the echo of its own status writes is not woken by it, so the cache reports each version
/// it receives (<see cref="Observed"/>): otherwise the copy of an object's last write, say a finished run's, would be
/// kept for as long as the process runs.
/// </summary>
public sealed class OwnWrites<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    readonly ConcurrentDictionary<ObjectKey, (string? Base, T Written)> written = new();

    /// <summary>
    /// Records that <paramref name="result"/> (the server's answer) replaced the version <paramref name="baseVersion"/>.
    /// <paramref name="cachedNow"/> is what the cache holds once the answer is back: when it is no longer the base version
    /// (the echo came before the answer, someone else wrote, the object is gone), nothing is remembered.
    /// </summary>
    public void Wrote(string? baseVersion, T result, T? cachedNow)
    {
        if (baseVersion is null) return;
        result.Metadata.ManagedFields = null; // as the informer caches it: a write-back must not carry them
        written[result.Key()] = (baseVersion, result);
        Latest(result.Key(), cachedNow);
    }

    /// <summary>The newest known version: what this process wrote while the cache is behind it, else the cached object.</summary>
    public T? Latest(ObjectKey key, T? cached)
    {
        if (!written.TryGetValue(key, out var own)) return cached;
        if (cached is not null && cached.Metadata.ResourceVersion == own.Base) return own.Written;
        written.TryRemove(key, out _);
        return cached;
    }

    /// <summary>The cache received <paramref name="cached"/>: a version other than the one the own write replaced makes the memory stale.</summary>
    public void Observed(T cached)
    {
        var key = cached.Key();
        if (written.TryGetValue(key, out var own) && cached.Metadata.ResourceVersion != own.Base)
            written.TryRemove(KeyValuePair.Create(key, own));
    }

    public void Forget(ObjectKey key) => written.TryRemove(key, out _);

    /// <summary>How many writes are remembered (the cache has not yet received them).</summary>
    public int Count => written.Count;
}
