using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// Streams a watch as newline-delimited JSON events over a chunked response, with periodic
/// bookmarks when asked for, until the client goes, the timeout passes or the server drops it.
/// </summary>
internal static class WatchStream
{
    public static async Task Run(HttpContext context, ObjectStore store, WatchSubscription subscription,
        TimeSpan? bookmarkInterval, TimeSpan? timeout, Func<WatchFrame, byte[]> render)
    {
        var aborted = context.RequestAborted;
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.StartAsync(aborted).ConfigureAwait(false);
            await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);

            var deadline = timeout is { } t ? DateTime.UtcNow + t : DateTime.MaxValue;
            var nextBookmark = bookmarkInterval is { } b ? DateTime.UtcNow + b : DateTime.MaxValue;
            while (!aborted.IsCancellationRequested)
            {
                var now = DateTime.UtcNow;
                if (now >= deadline) break;
                if (now >= nextBookmark)
                {
                    store.Bookmark(subscription);
                    nextBookmark = now + bookmarkInterval!.Value;
                }
                var wait = Min(deadline, nextBookmark) - now;
                if (!await WaitForFrames(subscription, wait, aborted).ConfigureAwait(false)) break;
                while (subscription.Frames.TryRead(out var frame))
                    await context.Response.Body.WriteAsync(render(frame), aborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (IOException)
        {
            // The connection broke while writing.
        }
        finally
        {
            store.Unwatch(subscription);
        }
    }

    /// <summary>True when frames may be read (or the wait timed out); false when the stream is closed and drained.</summary>
    private static async Task<bool> WaitForFrames(WatchSubscription subscription, TimeSpan wait, CancellationToken aborted)
    {
        if (wait > TimeSpan.FromDays(1)) return await subscription.Frames.WaitToReadAsync(aborted).ConfigureAwait(false);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timer.CancelAfter(wait < TimeSpan.Zero ? TimeSpan.Zero : wait);
        try
        {
            return await subscription.Frames.WaitToReadAsync(timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return true;
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
