using System.Diagnostics;
using System.Threading.Channels;
using Prometheus;

namespace Lineage.Operator.Runtime;

/// <summary>
/// The keys a controller still has to reconcile. A key is queued at most once; a key being processed is never
/// handed to a second worker, and if it is added meanwhile it is queued again when the first worker is done.
/// Failed keys come back after a per-key exponential backoff with jitter; <see cref="AddAfter"/> schedules a
/// requeue, and taking a key cancels its pending requeue (the new reconcile decides again).
/// </summary>
public sealed class WorkQueue : IDisposable
{
    readonly Lock gate = new();
    readonly Channel<ObjectKey> ready = Channel.CreateUnbounded<ObjectKey>();
    readonly HashSet<ObjectKey> dirty = [];
    readonly HashSet<ObjectKey> processing = [];
    readonly Dictionary<ObjectKey, long> queuedAt = [];
    readonly Dictionary<ObjectKey, (DateTimeOffset Due, System.Threading.ITimer Timer)> delayed = [];
    readonly Dictionary<ObjectKey, int> failures = [];
    readonly TaskCompletionSource idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly BackoffPolicy backoff;
    readonly TokenBucket retryRate;
    readonly Random random;
    readonly TimeProvider time;
    readonly Gauge.Child? depthGauge;
    readonly Histogram.Child? waitHistogram;
    bool shutDown;

    public WorkQueue(BackoffPolicy? backoff = null, int seed = 0, TimeProvider? time = null, RuntimeMetrics? metrics = null, string name = "",
        TokenBucket? retryRate = null)
    {
        this.backoff = backoff ?? BackoffPolicy.Default;
        this.backoff.Validate();
        this.retryRate = retryRate ?? TokenBucket.Default();
        random = new Random(seed);
        this.time = time ?? TimeProvider.System;
        depthGauge = metrics?.QueueDepth.WithLabels(name);
        waitHistogram = metrics?.QueueWait.WithLabels(name);
    }

    /// <summary>Keys waiting for a worker (delayed retries not counted).</summary>
    public int Depth { get { lock (gate) return queuedAt.Count; } }

    /// <summary>Keys scheduled for later by <see cref="AddAfter"/> or <see cref="AddRateLimited"/>.</summary>
    public int Delayed { get { lock (gate) return delayed.Count; } }

    public bool IsShutDown { get { lock (gate) return shutDown; } }

    public void Add(ObjectKey key)
    {
        lock (gate)
        {
            if (shutDown || !dirty.Add(key) || processing.Contains(key)) return;
            Enqueue(key);
        }
    }

    /// <summary>Adds the key after <paramref name="delay"/>; an earlier pending time for the same key wins.</summary>
    public void AddAfter(ObjectKey key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero) { Add(key); return; }
        lock (gate)
        {
            if (shutDown) return;
            var due = time.GetUtcNow() + delay;
            if (delayed.TryGetValue(key, out var pending))
            {
                if (pending.Due <= due) return;
                pending.Timer.Dispose();
            }
            var timer = time.CreateTimer(_ => Fire(key, due), null, delay, Timeout.InfiniteTimeSpan);
            delayed[key] = (due, timer);
        }
    }

    /// <summary>
    /// Adds the key after its next backoff delay (the failure count grows until <see cref="Forget"/>), or later
    /// when the queue's overall retry rate is exhausted.
    /// </summary>
    public TimeSpan AddRateLimited(ObjectKey key)
    {
        TimeSpan delay;
        lock (gate)
        {
            var count = failures[key] = failures.GetValueOrDefault(key) + 1;
            delay = backoff.Delay(count, random.NextDouble());
            var budget = retryRate.Reserve(time.GetUtcNow());
            if (budget > delay) delay = budget;
        }
        AddAfter(key, delay);
        return delay;
    }

    /// <summary>Resets the key's backoff after a success.</summary>
    public void Forget(ObjectKey key)
    {
        lock (gate) failures.Remove(key);
    }

    public int Failures(ObjectKey key)
    {
        lock (gate) return failures.GetValueOrDefault(key);
    }

    /// <summary>The next key to process, or null once the queue is shut down and has nothing left to hand out.</summary>
    public async ValueTask<ObjectKey?> TakeAsync(CancellationToken ct)
    {
        while (await ready.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            if (!ready.Reader.TryRead(out var key)) continue;
            lock (gate)
            {
                dirty.Remove(key);
                processing.Add(key);
                if (queuedAt.Remove(key, out var since))
                    waitHistogram?.Observe(Stopwatch.GetElapsedTime(since).TotalSeconds);
                depthGauge?.Set(queuedAt.Count);
                if (delayed.Remove(key, out var pending)) pending.Timer.Dispose();
            }
            return key;
        }
        return null;
    }

    /// <summary>Marks the key processed; if it was added while processing, it is queued again now.</summary>
    public void Done(ObjectKey key)
    {
        lock (gate)
        {
            processing.Remove(key);
            if (!shutDown && dirty.Contains(key)) Enqueue(key);
            if (shutDown && processing.Count == 0 && queuedAt.Count == 0) idle.TrySetResult();
        }
    }

    /// <summary>
    /// Stops accepting keys and drops delayed ones. With <paramref name="drain"/> the keys already queued are still
    /// handed out; without it they are dropped. <see cref="WhenIdle"/> completes once nothing is queued or processing.
    /// </summary>
    public void ShutDown(bool drain)
    {
        lock (gate)
        {
            shutDown = true;
            foreach (var (_, pending) in delayed) pending.Timer.Dispose();
            delayed.Clear();
            if (!drain)
            {
                while (ready.Reader.TryRead(out var key)) { dirty.Remove(key); queuedAt.Remove(key); }
                depthGauge?.Set(0);
            }
            ready.Writer.TryComplete();
            if (processing.Count == 0 && queuedAt.Count == 0) idle.TrySetResult();
        }
    }

    public Task WhenIdle => idle.Task;

    public void Dispose() => ShutDown(drain: false);

    void Fire(ObjectKey key, DateTimeOffset due)
    {
        lock (gate)
        {
            if (!delayed.TryGetValue(key, out var pending) || pending.Due != due) return;
            pending.Timer.Dispose();
            delayed.Remove(key);
        }
        Add(key);
    }

    void Enqueue(ObjectKey key)
    {
        queuedAt[key] = Stopwatch.GetTimestamp();
        depthGauge?.Set(queuedAt.Count);
        ready.Writer.TryWrite(key);
    }
}
