using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Bench;

/// <summary>
/// <c>--watch-decode</c>: after a run's steady state, the watch streams of Generations, Lineages and Jobs (every stored
/// object as an ADDED event, as a relisting informer receives them) are captured once and served again, byte for byte,
/// from a socket of this process to two decoders in turn: the operator's (<c>ResourceClient.WatchAsync</c>) and
/// KubernetesClient's <c>Watcher</c>, which the operator used before. Prints the CPU per event of each; the socket's
/// cost is the same for both.
/// </summary>
static class WatchDecodeBench
{
    const int Rounds = 5;

    public static async Task RunAsync(Uri apiServer)
    {
        Console.WriteLine();
        Console.WriteLine($"watch decoding (CPU per event of this process; {Rounds} rounds each, after 2 to warm up)");
        await CompareAsync<Generation>(apiServer);
        await CompareAsync<LineageResource>(apiServer);
        await CompareAsync<V1Job>(apiServer);
    }

    static async Task CompareAsync<T>(Uri apiServer) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = KindInfo.Of<T>();
        using var http = new HttpClient();
        var bytes = await http.GetByteArrayAsync(new Uri(apiServer, $"{kind.CollectionPath(BenchScenario.Namespace)}?watch=true&timeoutSeconds=1"));
        using var canned = new CannedResponse(bytes);
        using var client = new Kubernetes(new KubernetesClientConfiguration { Host = canned.Url });

        async Task<int> Operator()
        {
            var n = 0;
            await foreach (var e in new ResourceClient<T>(client).WatchAsync(BenchScenario.Namespace, "1", TimeSpan.FromMinutes(1), default))
                if (e.Object is not null) n++;
            return n;
        }
        async Task<int> Library()
        {
            var n = 0;
            var response = client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync<object>(kind.Group, kind.Version,
                BenchScenario.Namespace, kind.Plural, allowWatchBookmarks: true, resourceVersion: "1", timeoutSeconds: 60, watch: true);
#pragma warning disable CS0618 // the Watcher the operator used before, measured on purpose
            await foreach (var (_, watched) in response.WatchAsync<WatchedObject<T>, object>(e => throw e))
                if (watched?.Value is not null) n++;
#pragma warning restore CS0618
            return n;
        }

        for (var warm = 0; warm < 2; warm++) { await Operator(); await Library(); }
        double ours = 0, theirs = 0;
        var events = 0;
        for (var round = 0; round < Rounds; round++)
        {
            (var cpu, events) = await Timed(Operator);
            ours += cpu;
            (cpu, var counted) = await Timed(Library);
            theirs += cpu;
            if (counted != events) throw new InvalidOperationException($"{kind}: the two decoders counted {events} and {counted} objects");
        }
        Console.WriteLine($"    {kind.Plural,-12} {events,6} events, {bytes.Length / Math.Max(1, events),6} bytes each: operator {1e6 * ours / (Rounds * events),6:F1} µs, "
            + $"KubernetesClient Watcher {1e6 * theirs / (Rounds * events),6:F1} µs per event ({ours / theirs:F2} ×)");
    }

    static async Task<(double Cpu, int Events)> Timed(Func<Task<int>> decode)
    {
        var from = Process.GetCurrentProcess().TotalProcessorTime;
        var events = await decode();
        return ((Process.GetCurrentProcess().TotalProcessorTime - from).TotalSeconds, events);
    }

    /// <summary>Answers every connection with the same watch response, then closes it (the server's timeout).</summary>
    sealed class CannedResponse : IDisposable
    {
        readonly TcpListener listener = new(IPAddress.Loopback, 0);
        readonly CancellationTokenSource stop = new();

        public CannedResponse(byte[] body)
        {
            listener.Start();
            var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
            _ = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    using var socket = await listener.AcceptSocketAsync(stop.Token);
                    var request = new byte[8192];
                    await socket.ReceiveAsync(request, stop.Token); // a GET without a body: one read holds it
                    await socket.SendAsync(head, stop.Token);
                    await socket.SendAsync(body, stop.Token);
                    socket.Shutdown(SocketShutdown.Both);
                }
            });
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}
