using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class WorkQueueTests
{
    static readonly ObjectKey A = new("ns", "a");
    static readonly ObjectKey B = new("ns", "b");

    static async Task<ObjectKey?> TakeWithin(WorkQueue queue, int milliseconds)
    {
        using var cts = new CancellationTokenSource(milliseconds);
        try { return await queue.TakeAsync(cts.Token); }
        catch (OperationCanceledException) { return null; }
    }

    [Fact]
    public async Task A_key_added_twice_before_it_is_taken_is_handed_out_once()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        queue.Add(A);
        queue.Add(B);

        Assert.Equal(2, queue.Depth);
        Assert.Equal(A, await TakeWithin(queue, 1000));
        Assert.Equal(B, await TakeWithin(queue, 1000));
        Assert.Null(await TakeWithin(queue, 100));
    }

    [Fact]
    public async Task A_key_added_while_processing_is_queued_again_only_after_done()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        var taken = await TakeWithin(queue, 1000);
        Assert.Equal(A, taken);

        queue.Add(A);
        queue.Add(A);
        Assert.Equal(0, queue.Depth);
        Assert.Null(await TakeWithin(queue, 100));

        queue.Done(A);
        Assert.Equal(1, queue.Depth);
        Assert.Equal(A, await TakeWithin(queue, 1000));
    }

    [Fact]
    public async Task Done_without_a_new_add_does_not_requeue()
    {
        using var queue = new WorkQueue();
        queue.Add(A);
        await TakeWithin(queue, 1000);
        queue.Done(A);
        Assert.Equal(0, queue.Depth);
        Assert.Null(await TakeWithin(queue, 100));
    }

    [Fact]
    public async Task AddAfter_delivers_the_key_after_the_delay_and_not_before()
    {
        using var queue = new WorkQueue();
        var started = DateTime.UtcNow;
        queue.AddAfter(A, TimeSpan.FromMilliseconds(300));
        Assert.Equal(1, queue.Delayed);
        Assert.Null(await TakeWithin(queue, 150));

        Assert.Equal(A, await TakeWithin(queue, 2000));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(280));
        Assert.Equal(0, queue.Delayed);
    }

    [Fact]
    public async Task The_earlier_of_two_requeue_times_wins_and_the_key_comes_once()
    {
        using var queue = new WorkQueue();
        queue.AddAfter(A, TimeSpan.FromSeconds(30));
        queue.AddAfter(A, TimeSpan.FromMilliseconds(50));
        queue.AddAfter(A, TimeSpan.FromSeconds(10));

        Assert.Equal(A, await TakeWithin(queue, 2000));
        queue.Done(A);
        Assert.Equal(0, queue.Delayed);
    }

    [Fact]
    public async Task Taking_a_key_cancels_its_pending_requeue()
    {
        using var queue = new WorkQueue();
        queue.AddAfter(A, TimeSpan.FromMilliseconds(200));
        queue.Add(A);
        Assert.Equal(A, await TakeWithin(queue, 1000));
        queue.Done(A);

        Assert.Equal(0, queue.Delayed);
        Assert.Null(await TakeWithin(queue, 400));
    }

    [Fact]
    public void Each_failure_doubles_the_backoff_until_forgotten()
    {
        var policy = new BackoffPolicy(TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(10), 0.2);
        using var queue = new WorkQueue(policy, seed: 7);
        var delays = Enumerable.Range(1, 5).Select(_ => queue.AddRateLimited(A)).ToList();

        Assert.Equal(5, queue.Failures(A));
        for (var i = 0; i < delays.Count; i++)
        {
            var nominal = 10 * Math.Pow(2, i);
            Assert.InRange(delays[i].TotalMilliseconds, nominal * 0.8, nominal * 1.2);
        }

        queue.Forget(A);
        Assert.Equal(0, queue.Failures(A));
        Assert.InRange(queue.AddRateLimited(A).TotalMilliseconds, 8, 12);
    }

    [Fact]
    public async Task Shutdown_with_drain_still_hands_out_queued_keys_then_ends()
    {
        var queue = new WorkQueue();
        queue.Add(A);
        queue.Add(B);
        queue.AddAfter(new ObjectKey("ns", "later"), TimeSpan.FromMilliseconds(50));
        queue.ShutDown(drain: true);
        queue.Add(new ObjectKey("ns", "too-late"));

        Assert.Equal(A, await TakeWithin(queue, 1000));
        Assert.Equal(B, await TakeWithin(queue, 1000));
        Assert.Null(await queue.TakeAsync(CancellationToken.None));
        Assert.False(queue.WhenIdle.IsCompleted);
        queue.Done(A);
        queue.Done(B);
        await queue.WhenIdle.WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Shutdown_without_drain_drops_queued_keys_and_waits_for_the_one_in_flight()
    {
        var queue = new WorkQueue();
        queue.Add(A);
        queue.Add(B);
        var inFlight = await TakeWithin(queue, 1000);
        queue.ShutDown(drain: false);

        Assert.Null(await queue.TakeAsync(CancellationToken.None));
        Assert.Equal(0, queue.Depth);
        Assert.False(queue.WhenIdle.IsCompleted);
        queue.Done(inFlight!.Value);
        await queue.WhenIdle.WaitAsync(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task A_waiting_worker_is_released_by_shutdown()
    {
        var queue = new WorkQueue();
        var waiting = queue.TakeAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
        queue.ShutDown(drain: false);
        Assert.Null(await waiting.WaitAsync(TimeSpan.FromSeconds(1)));
    }
}
