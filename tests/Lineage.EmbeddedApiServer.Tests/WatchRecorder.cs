using System.Threading.Channels;
using k8s;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>Runs a KubernetesClient watch in the background and lets a test await its events one by one.</summary>
public sealed class WatchRecorder<T> : IAsyncDisposable
{
    private readonly Channel<(WatchEventType Type, T Object)> events = Channel.CreateUnbounded<(WatchEventType, T)>();
    private readonly CancellationTokenSource stop = new();
    private readonly Task pump;

    public WatchRecorder(Func<CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> watch)
    {
        pump = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in watch(stop.Token)) events.Writer.TryWrite(e);
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception error)
            {
                Errors.Add(error);
            }
            finally
            {
                events.Writer.TryComplete();
            }
        });
    }

    /// <summary>Errors the client reported (e.g. a KubernetesException for a 410 ERROR event).</summary>
    public List<Exception> Errors { get; } = [];

    public void OnError(Exception error) => Errors.Add(error);

    public async Task<(WatchEventType Type, T Object)> Next(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        return await events.Reader.ReadAsync(wait.Token);
    }

    /// <summary>True when the stream ended (the server closed it) within the timeout, after draining any events.</summary>
    public async Task<bool> Ended(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (await events.Reader.WaitToReadAsync(wait.Token)) events.Reader.TryRead(out _);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await pump;
        stop.Dispose();
    }
}
