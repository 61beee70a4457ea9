namespace Lineage.EmbeddedApiServer.Control;

/// <summary>Rules that make the next matching requests fail with a given status, consumed in order.</summary>
internal sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<Fault> faults = [];

    public void Add(int count, int statusCode, string? pathContains, string? method)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        if (statusCode is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "statusCode must be an HTTP error (4xx or 5xx)");
        lock (gate) faults.Add(new Fault(count, statusCode, pathContains, method));
    }

    public void Clear()
    {
        lock (gate) faults.Clear();
    }

    /// <summary>The status code to fail this request with, if a rule matches (that rule then has one use fewer).</summary>
    public int? Take(string method, string pathAndQuery)
    {
        lock (gate)
        {
            var fault = faults.FirstOrDefault(f =>
                (f.PathContains is null || pathAndQuery.Contains(f.PathContains, StringComparison.Ordinal)) &&
                (f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)));
            if (fault is null) return null;
            if (--fault.Remaining == 0) faults.Remove(fault);
            return fault.StatusCode;
        }
    }

    private sealed class Fault(int count, int statusCode, string? pathContains, string? method)
    {
        public int Remaining { get; set; } = count;
        public int StatusCode { get; } = statusCode;
        public string? PathContains { get; } = pathContains;
        public string? Method { get; } = method;
    }
}
