using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Lineage.Operator.Runtime;

/// <summary>
/// A local cache of one kind kept current by list + watch. The watch continues from the last resourceVersion
/// seen (events and bookmarks); when the server says that version is gone (410) the informer lists again and
/// delivers only what changed. Handlers get every added, changed or deleted object, and all objects again
/// every resync period. Objects are slimmed before they are cached: managedFields always (no controller reads
/// them), plus whatever <see cref="Slim(Action{T})"/> adds for the kind.
/// </summary>
public sealed class Informer<T> : IInformer where T : class, IKubernetesObject<V1ObjectMeta>
{
    readonly IWatchSource<T> source;
    readonly InformerOptions options;
    readonly ILogger logger;
    readonly RuntimeMetrics? metrics;
    readonly ConcurrentDictionary<ObjectKey, T> cache = new();
    readonly List<Action<T, T?>> handlers = [];
    readonly Dictionary<string, InformerIndex<T>> indexes = [];
    readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Random random;
    Action<T, T?>? slim;
    string? resourceVersion;
    int watchRestarts, relists, lists;

    public Informer(IWatchSource<T> source, InformerOptions? options = null, RuntimeMetrics? metrics = null, ILogger? logger = null)
    {
        this.source = source;
        this.options = options ?? new InformerOptions();
        this.metrics = metrics;
        this.logger = logger ?? NullLogger.Instance;
        random = new Random(this.options.Seed);
    }

    public KindInfo Kind { get; } = KindInfo.Of<T>();
    public bool HasSynced => synced.Task.IsCompleted;
    public Task WhenSynced => synced.Task;

    /// <summary>Times a watch was started again after the previous one ended, broke or expired.</summary>
    public int WatchRestarts => Volatile.Read(ref watchRestarts);

    /// <summary>Lists after the first one (each one follows a 410 Gone).</summary>
    public int Relists => Volatile.Read(ref relists);

    public int Lists => Volatile.Read(ref lists);

    public T? Get(ObjectKey key) => cache.GetValueOrDefault(key);

    /// <summary>
    /// Drops fields the controllers never read from every cached object (e.g. a Job's pod template), so a cache of
    /// thousands stays small; a controller that must write such an object back reads it live first. Set before start.
    /// </summary>
    public void Slim(Action<T> drop) => Slim((obj, _) => drop(obj));

    /// <summary>As <see cref="Slim(Action{T})"/>, also given the cached version the object replaces (null if none), already slimmed.</summary>
    public void Slim(Action<T, T?> drop)
    {
        if (lists > 0) throw new InvalidOperationException($"{Kind}: Slim must be set before the informer starts");
        slim = drop;
    }

    T Prepared(T obj)
    {
        if (obj.Metadata is { } meta) meta.ManagedFields = null;
        slim?.Invoke(obj, cache.GetValueOrDefault(obj.Key())); // not evaluated without a slim
        return obj;
    }

    /// <summary>A snapshot of every cached object. O(N): a controller that looks for related objects uses an index (<see cref="AddIndex"/>).</summary>
    public IReadOnlyCollection<T> List() => cache.Values.ToList();

    /// <summary>
    /// Keeps the cached objects findable by the values <paramref name="valuesOf"/> returns (e.g. an owner's uid or a parent's
    /// name), updated as events arrive, so "which objects point at X" costs what it returns instead of a scan. Set before start.
    /// </summary>
    public void AddIndex(string name, Func<T, IEnumerable<string>> valuesOf)
    {
        if (lists > 0) throw new InvalidOperationException($"{Kind}: AddIndex must be called before the informer starts");
        lock (indexes) indexes.Add(name, new InformerIndex<T>(valuesOf));
    }

    /// <summary>The cached objects whose index <paramref name="name"/> holds <paramref name="value"/>, in no particular order.</summary>
    public IReadOnlyList<T> ByIndex(string name, string value)
    {
        InformerIndex<T> index;
        lock (indexes) index = indexes.TryGetValue(name, out var found) ? found : throw new InvalidOperationException($"{Kind}: no index named {name}");
        var found2 = new List<T>();
        foreach (var key in index.Keys(value))
            if (cache.TryGetValue(key, out var obj)) found2.Add(obj);
        return found2;
    }

    void Store(ObjectKey key, T obj)
    {
        var previous = cache.GetValueOrDefault(key);
        cache[key] = obj;
        foreach (var index in Indexes()) index.Update(key, previous, obj);
    }

    void Remove(ObjectKey key)
    {
        if (!cache.TryRemove(key, out var previous)) return;
        foreach (var index in Indexes()) index.Update(key, previous, null);
    }

    InformerIndex<T>[] Indexes()
    {
        lock (indexes) return [.. indexes.Values];
    }

    /// <summary>Registers a handler; call before <see cref="RunAsync"/>. Handlers must be quick (enqueue a key).</summary>
    public void AddHandler(Action<T> handler) => AddHandler((obj, _) => handler(obj));

    /// <summary>
    /// Registers a handler that also gets the previously cached version of a changed object; the previous
    /// version is null for new objects, deletions and resyncs (so those are never mistaken for "nothing changed").
    /// </summary>
    public void AddHandler(Action<T, T?> handler)
    {
        lock (handlers) handlers.Add(handler);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        using var resync = options.ResyncPeriod > TimeSpan.Zero ? new PeriodicTimer(options.ResyncPeriod) : null;
        var resyncing = resync is null ? Task.CompletedTask : ResyncLoopAsync(resync, ct);
        var failures = 0;
        var first = true;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (resourceVersion is null) await ListAsync(ct).ConfigureAwait(false);
                if (!first) CountRestart();
                first = false;
                if (await WatchOnceAsync(ct).ConfigureAwait(false)) failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (ApiErrors.IsGone(e))
            {
                logger.LogInformation("{Kind}: resourceVersion {Version} expired, listing again", Kind, resourceVersion);
                resourceVersion = null;
            }
            catch (Exception e)
            {
                failures++;
                var delay = options.ReconnectBackoff.Delay(failures, random.NextDouble());
                logger.LogWarning("{Kind}: watch failed ({Error}); retrying in {Delay}", Kind, e.Message, delay);
                try { await Task.Delay(delay, ct).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
            }
        }
        await resyncing.ConfigureAwait(false);
    }

    void CountRestart()
    {
        Interlocked.Increment(ref watchRestarts);
        metrics?.WatchRestarts.WithLabels(Kind.Kind).Inc();
    }

    /// <summary>Runs one watch to its end; true when it delivered anything (the connection was healthy).</summary>
    async Task<bool> WatchOnceAsync(CancellationToken ct)
    {
        var timeout = options.WatchTimeout * (1 + random.NextDouble() / 2);
        var healthy = false;
        await foreach (var e in source.WatchAsync(options.Namespace, resourceVersion!, timeout, ct).ConfigureAwait(false))
        {
            healthy = true;
            switch (e.Type)
            {
                case WatchEventType.Error when e.ErrorCode == 410:
                    throw new WatchExpiredException(e.ErrorMessage);
                case WatchEventType.Error:
                    throw new IOException($"watch of {Kind} returned an error event: {e.ErrorCode} {e.ErrorMessage}");
                case WatchEventType.Bookmark:
                    break;
                case WatchEventType.Deleted:
                    Remove(e.Object!.Key());
                    Deliver(Prepared(e.Object!), null);
                    break;
                default:
                    var obj = Prepared(e.Object!);
                    var key = obj.Key();
                    var previous = cache.GetValueOrDefault(key);
                    Store(key, obj);
                    Deliver(obj, previous);
                    break;
            }
            if (!string.IsNullOrEmpty(e.ResourceVersion)) resourceVersion = e.ResourceVersion;
        }
        return healthy;
    }

    /// <summary>Lists everything; delivers what is new, changed (by resourceVersion) or gone since the cache.</summary>
    async Task ListAsync(CancellationToken ct)
    {
        var snapshot = await source.ListAllAsync(options.Namespace, ct).ConfigureAwait(false);
        if (Interlocked.Increment(ref lists) > 1)
        {
            Interlocked.Increment(ref relists);
            metrics?.Relists.WithLabels(Kind.Kind).Inc();
        }
        var seen = new HashSet<ObjectKey>();
        foreach (var item in snapshot.Items)
        {
            var obj = Prepared(item);
            var key = obj.Key();
            seen.Add(key);
            var changed = !cache.TryGetValue(key, out var old) || old.Metadata?.ResourceVersion != obj.Metadata?.ResourceVersion;
            Store(key, obj);
            if (changed) Deliver(obj, old);
        }
        foreach (var (key, old) in cache)
        {
            if (seen.Contains(key)) continue;
            Remove(key);
            Deliver(old, null);
        }
        resourceVersion = snapshot.ResourceVersion;
        synced.TrySetResult();
    }

    async Task ResyncLoopAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                foreach (var obj in cache.Values) Deliver(obj, null);
        }
        catch (OperationCanceledException)
        {
        }
    }

    void Deliver(T obj, T? previous)
    {
        Action<T, T?>[] current;
        lock (handlers) current = [.. handlers];
        foreach (var handler in current)
        {
            try { handler(obj, previous); }
            catch (Exception e) { logger.LogError(e, "{Kind}: event handler failed for {Key}", Kind, obj.Key()); }
        }
    }
}
