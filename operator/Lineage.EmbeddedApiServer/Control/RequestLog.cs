namespace Lineage.EmbeddedApiServer;

/// <summary>
/// Every request the server answered, so tests can assert what a client did, e.g.
/// <c>server.Requests.Count("create", "jobs") == 1</c> or <c>server.Requests.Writes() == 0</c>.
/// Counts by verb and resource are exact however many requests there were; the individual records
/// (<see cref="All"/>, <see cref="Count(Func{RequestRecord, bool})"/>) keep only the newest
/// <see cref="EmbeddedApiServerOptions.RequestLogCapacity"/>, so long benchmarks do not grow memory.
/// </summary>
public sealed class RequestLog(int capacity = 100_000)
{
    private readonly Lock gate = new();
    private readonly Queue<RequestRecord> records = new();
    private readonly Dictionary<(string Verb, string Resource, string Subresource), int> counts = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ClientTraffic> traffic = new();

    /// <summary>
    /// Body bytes one client (by User-Agent product, see <see cref="RequestRecord.Client"/>) sent and received so far,
    /// watch streams included as they flow; headers are not counted.
    /// </summary>
    public ClientTraffic Traffic(string client) => traffic.GetOrAdd(client, _ => new ClientTraffic());

    public IReadOnlyList<RequestRecord> All
    {
        get { lock (gate) return records.ToList(); }
    }

    /// <summary>Counts among the kept records (see the class remarks).</summary>
    public int Count(Func<RequestRecord, bool> predicate)
    {
        lock (gate) return records.Count(predicate);
    }

    /// <summary>Requests with this verb (get, list, watch, create, update, patch, delete, deletecollection), optionally for one resource and subresource ("" for the main resource).</summary>
    public int Count(string verb, string? resource = null, string? subresource = null)
    {
        lock (gate)
        {
            return counts.Where(kv => kv.Key.Verb == verb && (resource is null || kv.Key.Resource == resource)
                                      && (subresource is null || kv.Key.Subresource == subresource)).Sum(kv => kv.Value);
        }
    }

    /// <summary>Write requests (create, update, patch, delete, deletecollection), optionally for one resource; failed ones included.</summary>
    public int Writes(string? resource = null)
    {
        lock (gate)
        {
            return counts.Where(kv => RequestRecord.IsWriteVerb(kv.Key.Verb) && (resource is null || kv.Key.Resource == resource)).Sum(kv => kv.Value);
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            records.Clear();
            counts.Clear();
            foreach (var t in traffic.Values) t.Reset();
        }
    }

    internal void Add(RequestRecord record)
    {
        lock (gate)
        {
            records.Enqueue(record);
            while (records.Count > capacity) records.Dequeue();
            var key = (record.Verb, record.Resource, record.Subresource ?? "");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }
    }
}

/// <summary>Live body-byte counters of one client: what it sent (request bodies) and received (responses, watch events included), in all and by request kind.</summary>
public sealed class ClientTraffic
{
    private long sent, received;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long[]> byRequest = new();
    public long BytesSent => Interlocked.Read(ref sent);
    public long BytesReceived => Interlocked.Read(ref received);

    /// <summary>Bytes (sent, received) by "verb resource[/subresource]", e.g. <c>watch jobs</c>.</summary>
    public IReadOnlyDictionary<string, (long Sent, long Received)> ByRequest =>
        byRequest.ToDictionary(kv => kv.Key, kv => (Interlocked.Read(ref kv.Value[0]), Interlocked.Read(ref kv.Value[1])));

    internal Action<long> Sent(string request)
    {
        var counters = byRequest.GetOrAdd(request, _ => new long[2]);
        return n =>
        {
            Interlocked.Add(ref sent, n);
            Interlocked.Add(ref counters[0], n);
        };
    }

    internal Action<long> Received(string request)
    {
        var counters = byRequest.GetOrAdd(request, _ => new long[2]);
        return n =>
        {
            Interlocked.Add(ref received, n);
            Interlocked.Add(ref counters[1], n);
        };
    }

    internal void Reset()
    {
        Interlocked.Exchange(ref sent, 0);
        Interlocked.Exchange(ref received, 0);
        foreach (var counters in byRequest.Values)
        {
            Interlocked.Exchange(ref counters[0], 0);
            Interlocked.Exchange(ref counters[1], 0);
        }
    }
}
