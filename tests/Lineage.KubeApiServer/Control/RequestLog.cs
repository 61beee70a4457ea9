namespace Lineage.KubeApiServer;

/// <summary>
/// Every request the server answered, so tests can assert what a client did, e.g.
/// <c>server.Requests.Count("create", "jobs") == 1</c> or <c>server.Requests.Writes() == 0</c>.
/// </summary>
public sealed class RequestLog
{
    private readonly Lock gate = new();
    private readonly List<RequestRecord> records = [];

    public IReadOnlyList<RequestRecord> All
    {
        get { lock (gate) return records.ToList(); }
    }

    public int Count(Func<RequestRecord, bool> predicate)
    {
        lock (gate) return records.Count(predicate);
    }

    /// <summary>Requests with this verb (get, list, watch, create, update, patch, delete, deletecollection), optionally for one resource and subresource ("" for the main resource).</summary>
    public int Count(string verb, string? resource = null, string? subresource = null) =>
        Count(r => r.Verb == verb && (resource is null || r.Resource == resource) && (subresource is null || (r.Subresource ?? "") == subresource));

    /// <summary>Write requests (create, update, patch, delete, deletecollection), optionally for one resource; failed ones included.</summary>
    public int Writes(string? resource = null) => Count(r => r.IsWrite && (resource is null || r.Resource == resource));

    public void Clear()
    {
        lock (gate) records.Clear();
    }

    internal void Add(RequestRecord record)
    {
        lock (gate) records.Add(record);
    }
}
