namespace Lineage.Operator.Runtime;

/// <summary>How an informer lists and watches one kind.</summary>
public sealed record InformerOptions
{
    /// <summary>Namespace to watch; null watches all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>Every period, all cached objects are delivered again (no API call); zero disables. Default 10 minutes.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Server-side watch timeout (each watch gets this plus up to half again of jitter, so replicas do not reconnect together); the informer then continues from its resourceVersion. Default 60 s.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Delay between failed watch or list attempts.</summary>
    public BackoffPolicy ReconnectBackoff { get; init; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 0.2);

    public int Seed { get; init; }
}
