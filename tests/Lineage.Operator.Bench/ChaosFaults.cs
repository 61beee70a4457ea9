namespace Lineage.Operator.Bench;

/// <summary>The control-plane faults the chaos benchmark injects.</summary>
public enum ChaosFault
{
    /// <summary>409 Conflict on the operator's next writes (PUT, PATCH or POST).</summary>
    Conflict409,
    /// <summary>429 Too Many Requests with Retry-After on the operator's next requests.</summary>
    Throttle429,
    /// <summary>500 Internal Server Error on the operator's next requests.</summary>
    Error500,
    /// <summary>The operator's next requests answered only after a delay.</summary>
    SlowResponses,
    /// <summary>Every open watch stream cut.</summary>
    DropWatches,
    /// <summary>The history compacted, then every watch cut: resuming from an older resourceVersion gets 410 Gone.</summary>
    Compaction410,
    /// <summary>The API server stopped and started again on the same data and port.</summary>
    ApiServerRestart,
    /// <summary>The leading replica SIGKILLed while reconciling; restarted.</summary>
    KillLeader,
    /// <summary>The leader's lease renewals fail, so it loses the lease while alive and the other replica takes over.</summary>
    LeaseLoss,
}

/// <summary>
/// Injects faults at random, bounded in count and time: on average <c>perMinute</c> a minute until the end of the
/// fault phase, each drawn (kind and size) from the seeded random, so the sequence of faults is the same for a seed
/// (their timing against the operator's work is not: the machine is shared). Status faults and delays hit only the
/// operator's requests (its User-Agent), not the bench's own informers and Job player; watch cuts, compaction and
/// restarts hit every client.
/// </summary>
public sealed class ChaosFaults(ChaosApiServer api, OperatorReplicas replicas, Random random, int perMinute)
{
    const string Operator = "lineage-operator/";

    static readonly (ChaosFault Kind, double Weight)[] Weights =
    [
        (ChaosFault.Conflict409, 3), (ChaosFault.Throttle429, 3), (ChaosFault.Error500, 3), (ChaosFault.SlowResponses, 2),
        (ChaosFault.DropWatches, 2), (ChaosFault.Compaction410, 2), (ChaosFault.ApiServerRestart, 1), (ChaosFault.KillLeader, 1.5),
        (ChaosFault.LeaseLoss, 1),
    ];

    readonly Dictionary<ChaosFault, int> injected = Enum.GetValues<ChaosFault>().ToDictionary(k => k, _ => 0);
    readonly Dictionary<ChaosFault, int> skipped = Enum.GetValues<ChaosFault>().ToDictionary(k => k, _ => 0);

    /// <summary>Fault events injected, by kind.</summary>
    public IReadOnlyDictionary<ChaosFault, int> Injected => injected;

    /// <summary>Fault events drawn but not possible at that moment (no leader to kill, say), by kind.</summary>
    public IReadOnlyDictionary<ChaosFault, int> Skipped => skipped;

    public int KillsMidReconcile { get; private set; }
    public int WatchesDropped { get; private set; }

    /// <summary>Injects until <paramref name="until"/> on <paramref name="clock"/>; one fault at a time.</summary>
    public async Task RunAsync(System.Diagnostics.Stopwatch clock, TimeSpan until, CancellationToken ct)
    {
        var mean = 60.0 / perMinute;
        while (!ct.IsCancellationRequested)
        {
            // Exponential gaps (a Poisson process), at least 0.5 s apart.
            var gap = TimeSpan.FromSeconds(Math.Max(0.5, -mean * Math.Log(1 - random.NextDouble())));
            if (clock.Elapsed + gap >= until) break;
            await Task.Delay(gap, ct);
            var kind = Draw();
            try
            {
                if (await InjectAsync(kind)) injected[kind]++;
                else skipped[kind]++;
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException)
            {
                // The API server is down for a moment (a restart in progress): the fault is not injected.
                skipped[kind]++;
            }
            Console.WriteLine($"  {clock.Elapsed.TotalSeconds,7:F1} s  fault {kind}");
        }
    }

    ChaosFault Draw()
    {
        var total = Weights.Sum(w => w.Weight);
        var x = random.NextDouble() * total;
        foreach (var (kind, weight) in Weights)
        {
            if (x < weight) return kind;
            x -= weight;
        }
        return Weights[^1].Kind;
    }

    async Task<bool> InjectAsync(ChaosFault kind)
    {
        // Every draw takes the same random numbers whatever happens, so the sequence stays the seed's.
        var n = random.Next(1, 5);
        var method = new[] { "PUT", "PATCH", "POST" }[random.Next(3)];
        var retryAfter = random.Next(1, 3);
        var delay = TimeSpan.FromMilliseconds(random.Next(300, 2500));
        var down = TimeSpan.FromMilliseconds(random.Next(500, 3000));
        switch (kind)
        {
            case ChaosFault.Conflict409:
                api.Current.FailNext(n, 409, method: method, userAgentContains: Operator);
                return true;
            case ChaosFault.Throttle429:
                api.Current.FailNext(n, 429, retryAfterSeconds: retryAfter, userAgentContains: Operator);
                return true;
            case ChaosFault.Error500:
                api.Current.FailNext(n, 500, userAgentContains: Operator);
                return true;
            case ChaosFault.SlowResponses:
                api.Current.DelayNext(3 * n, delay, userAgentContains: Operator);
                return true;
            case ChaosFault.DropWatches:
                WatchesDropped += api.Current.DropWatches();
                return true;
            case ChaosFault.Compaction410:
                api.Current.CompactHistory();
                WatchesDropped += api.Current.DropWatches();
                return true;
            case ChaosFault.ApiServerRestart:
                await api.RestartAsync(down);
                return true;
            case ChaosFault.KillLeader:
                if (await replicas.KillLeaderAsync(TimeSpan.FromSeconds(10)) is not { } killed) return false;
                if (killed.MidReconcile) KillsMidReconcile++;
                return true;
            case ChaosFault.LeaseLoss:
                if (await replicas.LeaderAsync() is not { } leader) return false;
                // Every renewal of this replica fails from now on (RetryPeriod 2 s, RenewDeadline 10 s): it must stop leading
                // while alive, and the other replica takes the lease when it expires.
                api.Current.FailNext(60, 500, pathContains: "/leases/", method: "PUT", userAgentContains: $"({leader.Identity})");
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }
}
