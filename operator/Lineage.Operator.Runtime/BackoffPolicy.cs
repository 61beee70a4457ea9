namespace Lineage.Operator.Runtime;

/// <summary>
/// Per-key retry delay: <see cref="Base"/> doubled for each consecutive failure, capped at <see cref="Max"/>,
/// then spread by ±<see cref="Jitter"/> so that keys failing together do not retry together.
/// </summary>
public sealed record BackoffPolicy(TimeSpan Base, TimeSpan Max, double Jitter)
{
    /// <summary>50 ms, doubling to at most 5 minutes, ±20 %.</summary>
    public static readonly BackoffPolicy Default = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(5), 0.2);

    /// <summary>The delay before retry number <paramref name="failures"/> (1 = first retry); <paramref name="unit"/> is a uniform sample in [0, 1).</summary>
    public TimeSpan Delay(int failures, double unit)
    {
        if (failures < 1) return TimeSpan.Zero;
        var exponent = Math.Min(failures - 1, 62);
        var nominal = Math.Min(Max.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(nominal * (1 - Jitter + 2 * Jitter * unit));
    }

    public void Validate()
    {
        if (Base <= TimeSpan.Zero) throw new ArgumentException("backoff base must be positive", nameof(Base));
        if (Max < Base) throw new ArgumentException("backoff max must be at least the base", nameof(Max));
        if (Jitter is < 0 or >= 1) throw new ArgumentException("backoff jitter must be in [0, 1)", nameof(Jitter));
    }
}
