using Lineage.EmbeddedApiServer;

namespace Lineage.Operator.Bench;

/// <summary>
/// The chaos benchmark's API server, which it can restart: stopped (listener closed, watches cut) and started again on
/// the same SQLite file and port, as a kube-apiserver restart looks to its clients. Keeps every request answered and
/// every fault injected across restarts (each start has a fresh request log and fault injector).
/// </summary>
public sealed class ChaosApiServer(EmbeddedApiServerOptions options) : IAsyncDisposable
{
    readonly List<RequestRecord> earlier = [];
    readonly Dictionary<string, int> earlierFaults = [];
    EmbeddedApiServer.EmbeddedApiServer? server;

    public int Restarts { get; private set; }

    public EmbeddedApiServer.EmbeddedApiServer Current => server ?? throw new InvalidOperationException("the API server is down");

    public async Task StartAsync() => server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(options);

    /// <summary>Stops the server, waits <paramref name="down"/>, starts it again on the same data and port.</summary>
    public async Task RestartAsync(TimeSpan down)
    {
        var stopping = Current;
        server = null;
        await stopping.DisposeAsync();
        Keep(stopping);
        await Task.Delay(down);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                break;
            }
            catch (IOException) when (attempt < 20)
            {
                // The port may linger for a moment after the listener closed.
                await Task.Delay(250);
            }
        }
        Restarts++;
    }

    /// <summary>Every request answered by every start of the server so far, in order.</summary>
    public IReadOnlyList<RequestRecord> AllRequests() => [.. earlier, .. server?.Requests.All ?? []];

    /// <summary>Status and delay faults injected by every start so far, by kind.</summary>
    public IReadOnlyDictionary<string, int> InjectedFaults()
    {
        var all = new Dictionary<string, int>(earlierFaults);
        foreach (var (kind, n) in server?.InjectedFaults ?? new Dictionary<string, int>()) all[kind] = all.GetValueOrDefault(kind) + n;
        return all;
    }

    void Keep(EmbeddedApiServer.EmbeddedApiServer stopped)
    {
        earlier.AddRange(stopped.Requests.All);
        foreach (var (kind, n) in stopped.InjectedFaults) earlierFaults[kind] = earlierFaults.GetValueOrDefault(kind) + n;
    }

    public async ValueTask DisposeAsync()
    {
        if (server is { } s)
        {
            server = null;
            await s.DisposeAsync();
            Keep(s);
        }
    }
}
