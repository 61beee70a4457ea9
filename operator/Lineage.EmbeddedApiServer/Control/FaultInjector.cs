namespace Lineage.EmbeddedApiServer.Control;

/// <summary>
/// Rules that make the next matching requests fail with a given status (optionally with a Retry-After header), or
/// answer only after a delay, consumed in order. A rule matches on a substring of the path and query, the HTTP method
/// and a substring of the client's User-Agent (so one replica of several can be singled out); null matches anything.
/// Counts what it injected, by kind, for benchmarks that report it.
/// </summary>
internal sealed class FaultInjector
{
    private readonly Lock gate = new();
    private readonly List<Fault> faults = [];
    private readonly Dictionary<string, int> injected = [];

    public void Add(int count, int statusCode, string? pathContains, string? method, int? retryAfterSeconds = null, string? userAgentContains = null, string? reason = null)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        if (statusCode is < 400 or > 599) throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "statusCode must be an HTTP error (4xx or 5xx)");
        if (retryAfterSeconds is < 0) throw new ArgumentOutOfRangeException(nameof(retryAfterSeconds), retryAfterSeconds, "retryAfterSeconds must not be negative");
        lock (gate) faults.Add(new Fault(count, new InjectedFault(statusCode, retryAfterSeconds, TimeSpan.Zero, reason), pathContains, method, userAgentContains));
    }

    public void AddDelay(int count, TimeSpan delay, string? pathContains, string? method, string? userAgentContains = null)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive");
        if (delay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(delay), delay, "delay must be positive");
        lock (gate) faults.Add(new Fault(count, new InjectedFault(null, null, delay), pathContains, method, userAgentContains));
    }

    public void Clear()
    {
        lock (gate) faults.Clear();
    }

    /// <summary>Faults injected so far by kind, e.g. <c>429</c>, <c>500</c>, <c>delay</c>.</summary>
    public IReadOnlyDictionary<string, int> Injected
    {
        get { lock (gate) return new Dictionary<string, int>(injected); }
    }

    /// <summary>What to do to this request, if a rule matches (that rule then has one use fewer).</summary>
    public InjectedFault? Take(string method, string pathAndQuery, string userAgent)
    {
        lock (gate)
        {
            var fault = faults.FirstOrDefault(f =>
                (f.PathContains is null || pathAndQuery.Contains(f.PathContains, StringComparison.Ordinal)) &&
                (f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)) &&
                (f.UserAgentContains is null || userAgent.Contains(f.UserAgentContains, StringComparison.Ordinal)));
            if (fault is null) return null;
            if (--fault.Remaining == 0) faults.Remove(fault);
            var kind = fault.Action.Kind;
            injected[kind] = injected.GetValueOrDefault(kind) + 1;
            return fault.Action;
        }
    }

    private sealed class Fault(int count, InjectedFault action, string? pathContains, string? method, string? userAgentContains)
    {
        public int Remaining { get; set; } = count;
        public InjectedFault Action { get; } = action;
        public string? PathContains { get; } = pathContains;
        public string? Method { get; } = method;
        public string? UserAgentContains { get; } = userAgentContains;
    }
}

/// <summary>
/// One injected fault: fail with <see cref="StatusCode"/> (its Status's reason <see cref="Reason"/>, else the code's usual
/// one; a Retry-After header when set), or serve after <see cref="Delay"/>.
/// </summary>
internal sealed record InjectedFault(int? StatusCode, int? RetryAfterSeconds, TimeSpan Delay, string? Reason = null)
{
    public string Kind => StatusCode is { } code ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "delay";
}
