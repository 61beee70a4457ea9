namespace Lineage.Store.Resilience;

/// <summary>
/// How long a store operation keeps retrying transient failures: exponential backoff with jitter from
/// <see cref="FirstDelay"/> up to <see cref="MaxDelay"/>, no new attempt once <see cref="Total"/> has passed.
/// Defaults: 250 ms, 10 s, 3 min (long enough to ride out a MinIO pod restart).
/// </summary>
public sealed record RetryBudget
{
    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan Total { get; init; } = TimeSpan.FromMinutes(3);

    public static RetryBudget Default { get; } = new();
}
