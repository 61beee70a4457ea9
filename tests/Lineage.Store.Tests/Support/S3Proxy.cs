using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Lineage.Store.Tests.Support;

/// <summary>One HTTP request seen by the proxy: its method and path (the bucket first, no query).</summary>
public sealed record ProxiedRequest(string Method, string Path, long ContentLength);

/// <summary>
/// A TCP proxy in front of the S3 server (the chaos benchmark and the trainer's store-fault tests put it before s3rver) that reads the request heads going up (method, path, Content-Length), so the
/// benchmark can act while a PUT is in flight: <see cref="MidBody"/> runs after half of each PUT's body has gone to the
/// server and before the rest does. Responses are copied back untouched; the client's signatures stay valid because the
/// bytes (Host included) are not changed. A server that is down refuses the connection, as S3 itself would.
/// </summary>
public sealed class S3Proxy : IAsyncDisposable
{
    readonly TcpListener listener = new(IPAddress.Loopback, 0);
    readonly int upstream;
    readonly CancellationTokenSource stop = new();
    Task? accepting;

    public S3Proxy(int upstreamPort) => upstream = upstreamPort;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
    /// <summary>Called in the middle of every PUT body; the forwarding waits for it.</summary>
    public Func<ProxiedRequest, Task>? MidBody { get; set; }
    public long Requests => Interlocked.Read(ref requests);
    long requests;

    public void Start()
    {
        listener.Start();
        accepting = Task.Run(AcceptAsync);
    }

    async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) when (stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    async Task ServeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try { await server.ConnectAsync(IPAddress.Loopback, upstream, stop.Token); }
            catch (Exception) { return; }   // the S3 server is down: the client sees the connection close
            client.NoDelay = server.NoDelay = true;
            var up = client.GetStream();
            var down = server.GetStream();
            var responses = down.CopyToAsync(up, stop.Token);
            var requestsUp = ForwardRequestsAsync(up, down);
            try { await Task.WhenAny(responses, requestsUp); }
            catch (Exception) { }
            // Either side gone: both connections close, as a broken network path would.
        }
    }

    async Task ForwardRequestsAsync(NetworkStream client, NetworkStream server)
    {
        var buffer = new byte[1 << 16];
        int have = 0;
        try
        {
            while (true)
            {
                int end;
                while ((end = HeadEnd(buffer, have)) < 0)
                {
                    if (have == buffer.Length) { await server.WriteAsync(buffer.AsMemory(0, have)); await client.CopyToAsync(server); return; }
                    int n = await client.ReadAsync(buffer.AsMemory(have));
                    if (n == 0) return;
                    have += n;
                }
                var head = Encoding.ASCII.GetString(buffer, 0, end);
                var request = Parse(head, out bool chunked);
                Interlocked.Increment(ref requests);
                await server.WriteAsync(buffer.AsMemory(0, end));
                Shift(buffer, ref have, end);
                if (chunked) { await server.WriteAsync(buffer.AsMemory(0, have)); await client.CopyToAsync(server); return; }

                long remaining = request.ContentLength, half = request.ContentLength / 2, sent = 0;
                bool hooked = request.Method != "PUT" || MidBody is null;
                while (remaining > 0)
                {
                    if (have == 0)
                    {
                        int n = await client.ReadAsync(buffer);
                        if (n == 0) return;
                        have = n;
                    }
                    int take = (int)Math.Min(have, remaining);
                    if (!hooked && sent + take > half)
                    {
                        int first = (int)(half - sent);
                        await server.WriteAsync(buffer.AsMemory(0, first));
                        Shift(buffer, ref have, first);
                        sent += first;
                        remaining -= first;
                        hooked = true;
                        await MidBody!(request);
                        continue;
                    }
                    await server.WriteAsync(buffer.AsMemory(0, take));
                    Shift(buffer, ref have, take);
                    sent += take;
                    remaining -= take;
                }
            }
        }
        catch (IOException) { }
        catch (ObjectDisposedException) { }
    }

    static ProxiedRequest Parse(string head, out bool chunked)
    {
        var lines = head.Split("\r\n");
        var first = lines[0].Split(' ');
        long length = 0;
        chunked = false;
        foreach (var line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon <= 0) continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) length = long.Parse(value);
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
        }
        var target = first.Length > 1 ? first[1] : "";
        int query = target.IndexOf('?');
        return new ProxiedRequest(first[0], Uri.UnescapeDataString(query < 0 ? target : target[..query]), length);
    }

    /// <summary>The length of the request head (through the blank line), or -1 when it has not all arrived.</summary>
    static int HeadEnd(byte[] buffer, int have)
    {
        for (int i = 3; i < have; i++)
            if (buffer[i] == '\n' && buffer[i - 1] == '\r' && buffer[i - 2] == '\n' && buffer[i - 3] == '\r') return i + 1;
        return -1;
    }

    static void Shift(byte[] buffer, ref int have, int consumed)
    {
        Buffer.BlockCopy(buffer, consumed, buffer, 0, have - consumed);
        have -= consumed;
    }

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        listener.Stop();
        if (accepting is not null) await accepting;
        stop.Dispose();
    }
}
