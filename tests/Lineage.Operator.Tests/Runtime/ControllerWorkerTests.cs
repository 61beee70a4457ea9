using System.Collections.Concurrent;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using Prometheus;

namespace Lineage.Operator.Tests.Runtime;

/// <summary>The workers of one controller, driven by a real work queue and a reconcile function.</summary>
public sealed class ControllerWorkerTests
{
    static (Controller Controller, RuntimeMetrics Metrics) Start(WorkQueue queue, Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile, int workers)
    {
        var metrics = new RuntimeMetrics(Metrics.NewCustomRegistry());
        return (new Controller("test", queue, reconcile, workers, metrics, NullLogger.Instance), metrics);
    }

    [Fact]
    public async Task One_key_is_never_reconciled_concurrently_while_different_keys_are()
    {
        var queue = new WorkQueue();
        var running = new ConcurrentDictionary<ObjectKey, int>();
        var maxSameKey = 0;
        var maxOverall = 0;
        var overall = 0;
        var (controller, _) = Start(queue, async (key, ct) =>
        {
            var same = running.AddOrUpdate(key, 1, (_, n) => n + 1);
            var all = Interlocked.Increment(ref overall);
            InterlockedMax(ref maxSameKey, same);
            InterlockedMax(ref maxOverall, all);
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref overall);
            running.AddOrUpdate(key, 0, (_, n) => n - 1);
            return ReconcileResult.Done;
        }, workers: 4);

        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);
        var keys = Enumerable.Range(0, 8).Select(i => new ObjectKey("ns", $"k{i}")).ToArray();
        for (var round = 0; round < 40; round++)
        {
            foreach (var key in keys) queue.Add(key);
            await Task.Delay(2);
        }
        await WaitUntil(() => queue.Depth == 0);
        queue.ShutDown(drain: true);
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(1, maxSameKey);
        Assert.True(maxOverall > 1, "different keys should be reconciled in parallel");
        Assert.True(controller.Reconciles >= keys.Length);
    }

    [Fact]
    public async Task A_failing_key_is_retried_with_growing_backoff_and_forgotten_after_success()
    {
        var queue = new WorkQueue(new BackoffPolicy(TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(1), 0.1));
        var attempts = new List<DateTime>();
        var key = new ObjectKey("ns", "flaky");
        var (controller, metrics) = Start(queue, (_, _) =>
        {
            lock (attempts) attempts.Add(DateTime.UtcNow);
            if (attempts.Count <= 3) throw new InvalidOperationException("transient");
            return Task.FromResult(ReconcileResult.Done);
        }, workers: 2);

        using var cts = new CancellationTokenSource();
        var run = controller.RunAsync(cts.Token);
        queue.Add(key);
        await WaitUntil(() => { lock (attempts) return attempts.Count == 4; });
        await WaitUntil(() => queue.Failures(key) == 0);
        queue.ShutDown(drain: false);
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        Assert.True(gaps[0] >= 15, $"first retry after {gaps[0]} ms");
        Assert.True(gaps[1] >= 32, $"second retry after {gaps[1]} ms");
        Assert.True(gaps[2] >= 68, $"third retry after {gaps[2]} ms");
        Assert.Equal(3, metrics.ReconcileErrors.WithLabels("test").Value);
        Assert.Equal(1, metrics.ReconcileTotal.WithLabels("test", "success").Value);
    }

    [Fact]
    public async Task A_not_found_from_the_api_is_looked_at_again_without_counting_an_error()
    {
        var queue = new WorkQueue();
        var calls = 0;
        var (controller, metrics) = Start(queue, (_, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
                throw new k8s.Autorest.HttpOperationException("Not Found")
                {
                    Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.NotFound), ""),
                };
            return Task.FromResult(ReconcileResult.Done);
        }, workers: 1);

        var run = controller.RunAsync(CancellationToken.None);
        queue.Add(new ObjectKey("ns", "released"));
        await WaitUntil(() => Volatile.Read(ref calls) == 2);
        queue.ShutDown(drain: false);
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(0, metrics.ReconcileErrors.WithLabels("test").Value);
        Assert.Equal(1, metrics.ReconcileTotal.WithLabels("test", "not_found").Value);
        Assert.Equal(1, metrics.ReconcileTotal.WithLabels("test", "success").Value);
    }

    [Fact]
    public async Task A_create_refused_in_a_terminating_namespace_is_not_retried()
    {
        var queue = new WorkQueue();
        var calls = 0;
        var (controller, metrics) = Start(queue, (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new k8s.Autorest.HttpOperationException("Forbidden")
            {
                Response = new k8s.Autorest.HttpResponseMessageWrapper(new HttpResponseMessage(System.Net.HttpStatusCode.Forbidden),
                    """{"kind":"Status","status":"Failure","message":"configmaps \"g-eval-config\" is forbidden: unable to create new content in namespace ml because it is being terminated","reason":"Forbidden","details":{"causes":[{"reason":"NamespaceTerminating"}]},"code":403}"""),
            };
        }, workers: 1);

        var run = controller.RunAsync(CancellationToken.None);
        queue.Add(new ObjectKey("ml", "g"));
        await WaitUntil(() => metrics.ReconcileTotal.WithLabels("test", "namespace_terminating").Value == 1);
        await Task.Delay(300);
        queue.ShutDown(drain: false);
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, Volatile.Read(ref calls));
        Assert.Equal(0, metrics.ReconcileErrors.WithLabels("test").Value);
    }

    [Fact]
    public async Task RequeueAfter_brings_the_key_back_after_the_delay()
    {
        var queue = new WorkQueue();
        var times = new List<DateTime>();
        var (controller, metrics) = Start(queue, (_, _) =>
        {
            lock (times) times.Add(DateTime.UtcNow);
            return Task.FromResult(times.Count == 1 ? ReconcileResult.After(TimeSpan.FromMilliseconds(200)) : ReconcileResult.Done);
        }, workers: 1);

        var run = controller.RunAsync(CancellationToken.None);
        queue.Add(new ObjectKey("ns", "poll"));
        await WaitUntil(() => { lock (times) return times.Count == 2; });
        queue.ShutDown(drain: false);
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True((times[1] - times[0]).TotalMilliseconds >= 180);
        Assert.Equal(1, metrics.ReconcileTotal.WithLabels("test", "requeue").Value);
    }

    [Fact]
    public async Task Abort_cancels_the_reconcile_in_flight()
    {
        var queue = new WorkQueue();
        var entered = new TaskCompletionSource();
        var cancelled = false;
        var (controller, _) = Start(queue, async (_, ct) =>
        {
            entered.TrySetResult();
            try { await Task.Delay(TimeSpan.FromMinutes(1), ct); }
            catch (OperationCanceledException) { cancelled = true; throw; }
            return ReconcileResult.Done;
        }, workers: 1);

        using var abort = new CancellationTokenSource();
        var run = controller.RunAsync(abort.Token);
        queue.Add(new ObjectKey("ns", "slow"));
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(5));
        abort.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(cancelled);
    }

    static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current) { }
    }

    internal static async Task WaitUntil(Func<bool> condition, int seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not reached in time");
            await Task.Delay(10);
        }
    }
}
