namespace Lineage.Operator.Runtime;

/// <summary>
/// The overall retry rate of one work queue (client-go's default is 10 per second with a burst of 100), so that
/// many keys failing at once cannot hammer the API server whatever their own backoff says.
/// Reservations: every call takes a token, and says how long to wait until that token exists.
/// </summary>
public sealed class TokenBucket
{
    readonly double perSecond;
    readonly int burst;
    double tokens;
    DateTimeOffset? last;

    public TokenBucket(double perSecond, int burst)
    {
        if (perSecond <= 0) throw new ArgumentOutOfRangeException(nameof(perSecond), "retry rate must be positive");
        if (burst < 1) throw new ArgumentOutOfRangeException(nameof(burst), "retry burst must be at least 1");
        this.perSecond = perSecond;
        this.burst = burst;
        tokens = burst;
    }

    public static TokenBucket Default() => new(10, 100);

    /// <summary>Takes one token at <paramref name="now"/>; returns the wait until it is available (zero within the burst).</summary>
    public TimeSpan Reserve(DateTimeOffset now)
    {
        if (last is { } previous && now > previous)
            tokens = Math.Min(burst, tokens + (now - previous).TotalSeconds * perSecond);
        if (last is null || now > last) last = now;
        tokens -= 1;
        return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / perSecond);
    }
}
