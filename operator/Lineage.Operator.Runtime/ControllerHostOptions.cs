namespace Lineage.Operator.Runtime;

/// <summary>Settings shared by every controller of a host.</summary>
public sealed record ControllerHostOptions
{
    /// <summary>Namespace whose objects are watched; null watches all namespaces.</summary>
    public string? Namespace { get; init; }
    /// <summary>Concurrent reconciles per controller (different keys only). Default 4.</summary>
    public int Workers { get; init; } = 4;
    /// <summary>How often every cached object is reconciled again. Default 10 minutes; zero disables.</summary>
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);
    /// <summary>On shutdown, in-flight reconciles get this long to finish before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(60);
    public BackoffPolicy Backoff { get; init; } = BackoffPolicy.Default;
    public LeaderElectionOptions LeaderElection { get; init; } = new();
    public int Seed { get; init; }
    /// <summary>The field manager of every write (managedFields); null lets the server name it from the User-Agent.</summary>
    public string? FieldManager { get; init; }

    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException("workers must be at least 1", nameof(Workers));
        if (ResyncPeriod < TimeSpan.Zero) throw new ArgumentException("resync period must not be negative", nameof(ResyncPeriod));
        if (WatchTimeout < TimeSpan.FromSeconds(1)) throw new ArgumentException("watch timeout must be at least 1 s", nameof(WatchTimeout));
        Backoff.Validate();
        LeaderElection.Validate();
    }
}
