using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Lineage.Operator.Runtime;

/// <summary>
/// One controller at run time: its work queue and the workers that take keys from it and call the reconciler.
/// Workers run concurrently across keys; the queue guarantees one key is never reconciled twice at once.
/// </summary>
public sealed class Controller(
    string name, WorkQueue queue, Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile,
    int workers, RuntimeMetrics metrics, ILogger logger)
{
    long reconciles;

    public string Name => name;
    public WorkQueue Queue => queue;
    public int Workers => workers;
    public long Reconciles => Interlocked.Read(ref reconciles);

    /// <summary>Runs the workers until the queue is shut down (they finish their key) or <paramref name="abort"/> fires.</summary>
    public Task RunAsync(CancellationToken abort) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(() => WorkerAsync(abort), CancellationToken.None)));

    async Task WorkerAsync(CancellationToken abort)
    {
        while (!abort.IsCancellationRequested)
        {
            ObjectKey? next;
            try { next = await queue.TakeAsync(abort).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (next is not { } key) return;
            await ProcessAsync(key, abort).ConfigureAwait(false);
        }
    }

    async Task ProcessAsync(ObjectKey key, CancellationToken abort)
    {
        var started = Stopwatch.GetTimestamp();
        string result;
        try
        {
            var outcome = await reconcile(key, abort).ConfigureAwait(false);
            queue.Forget(key);
            if (outcome.RequeueAfter is { } after)
            {
                queue.AddAfter(key, after);
                result = "requeue";
            }
            else result = "success";
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            result = "canceled";
        }
        catch (Exception e) when (ApiErrors.IsNamespaceTerminating(e))
        {
            // Nothing can be created there any more, and the namespace's deletion will delete the object (an event wakes
            // it then): no retry, no error.
            queue.Forget(key);
            logger.LogDebug("{Controller}: {Key}'s namespace is terminating: {Message}", name, key, e.Message);
            result = "namespace_terminating";
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e))
        {
            // A write met an object deleted since the cache read (a released finalizer, a deleted namespace): not an error.
            // One more look, after the usual delay, finds it gone from the cache and ends quietly.
            queue.AddRateLimited(key);
            logger.LogDebug("{Controller}: {Key} or one of its objects was deleted during the reconcile: {Message}", name, key, e.Message);
            result = "not_found";
        }
        catch (Exception e)
        {
            var delay = queue.AddRateLimited(key);
            metrics.ReconcileErrors.WithLabels(name).Inc();
            logger.LogWarning(e, "{Controller}: reconcile of {Key} failed; retry {Failures} in {Delay}", name, key, queue.Failures(key), delay);
            result = "error";
        }
        finally
        {
            queue.Done(key);
        }
        metrics.ReconcileTotal.WithLabels(name, result).Inc();
        metrics.ReconcileDuration.WithLabels(name).Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        Interlocked.Increment(ref reconciles);
    }
}
