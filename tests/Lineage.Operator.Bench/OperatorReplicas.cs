namespace Lineage.Operator.Bench;

/// <summary>
/// Two (or more) <c>lineage-operator</c> replicas electing a leader on one Lease, each restarted when it exits, as a
/// Deployment's pods are: after a SIGKILL, and after it lost the lease (it exits 1 then). Every start is a new
/// identity, <c>replica-&lt;slot&gt;-&lt;start&gt;</c> (the lease holder's name, and the comment in its User-Agent),
/// so the API server's request log tells which process wrote what. Scrapes each replica's /metrics every few seconds
/// and keeps the last values of every start, since a killed process's counters die with it.
/// </summary>
public sealed class OperatorReplicas(string kubeconfig, int workers, bool? serverGc, int count, string logDirectory) : IAsyncDisposable
{
    readonly Lock gate = new();
    readonly Replica[] replicas = Enumerable.Range(0, count).Select(i => new Replica((char)('a' + i))).ToArray();
    readonly Dictionary<string, OperatorMetrics> lastMetrics = [];
    readonly HashSet<int> killedPids = [];

    /// <summary>Exits of replicas the bench did not kill: after losing the lease (exit 1), or anything else.</summary>
    public List<(string Identity, int ExitCode)> OwnExits { get; } = [];

    public int Starts { get; private set; }

    public void StartAll()
    {
        foreach (var r in replicas) Start(r);
    }

    void Start(Replica r)
    {
        r.Starts++;
        r.Identity = $"replica-{r.Slot}-{r.Starts}";
        r.Process = OperatorProcess.Start(kubeconfig, BenchScenario.Namespace, workers, serverGc, r.Identity);
        Starts++;
    }

    /// <summary>Restarts exited replicas (after <paramref name="restartDelay"/>, as a kubelet would) and scrapes metrics, until cancelled.</summary>
    public async Task SuperviseAsync(TimeSpan restartDelay, CancellationToken ct)
    {
        var exitedAt = new Dictionary<char, DateTime>();
        while (!ct.IsCancellationRequested)
        {
            foreach (var r in replicas)
            {
                var p = r.Process!;
                if (p.HasExited)
                {
                    if (!exitedAt.TryGetValue(r.Slot, out var at))
                    {
                        exitedAt[r.Slot] = DateTime.UtcNow;
                        lock (gate) if (!killedPids.Contains(p.Pid)) OwnExits.Add((r.Identity, p.ExitCode));
                        continue;
                    }
                    if (DateTime.UtcNow - at < restartDelay) continue;
                    exitedAt.Remove(r.Slot);
                    await SaveLogAsync(r.Identity, p);
                    await p.DisposeAsync();
                    lock (gate) Start(r);
                    continue;
                }
                try
                {
                    var m = await p.MetricsAsync();
                    lock (gate) lastMetrics[r.Identity] = m;
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            }
            try { await Task.Delay(TimeSpan.FromSeconds(2), ct); }
            catch (OperationCanceledException) { break; }
        }
    }

    /// <summary>The replica leading now (by its leader gauge), with its identity; null if none is.</summary>
    public async Task<(OperatorProcess Process, string Identity)?> LeaderAsync()
    {
        foreach (var r in replicas)
        {
            var p = r.Process!;
            if (p.HasExited) continue;
            try
            {
                if ((await p.MetricsAsync()).Sum("lineage_operator_leader") == 1) return (p, r.Identity);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
        }
        return null;
    }

    /// <summary>
    /// SIGKILLs the leader mid-reconcile: waits (up to <paramref name="within"/>) until its work queue holds keys or
    /// its reconcile count moved since the last look. Returns the identity killed and whether it was mid-reconcile; null without a leader.
    /// </summary>
    public async Task<(string Identity, bool MidReconcile)?> KillLeaderAsync(TimeSpan within)
    {
        if (await LeaderAsync() is not { } leader) return null;
        var deadline = DateTime.UtcNow + within;
        var mid = false;
        double? last = null;
        while (DateTime.UtcNow < deadline && !leader.Process.HasExited)
        {
            try
            {
                var m = await leader.Process.MetricsAsync();
                var reconciles = m.Reconciles();
                if (m.QueueDepth > 0 || (last is { } l && reconciles != l)) { mid = true; break; }
                last = reconciles;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { break; }
            await Task.Delay(50);
        }
        lock (gate) killedPids.Add(leader.Process.Pid);
        leader.Process.Kill();
        return (leader.Identity, mid);
    }

    /// <summary>The sum over every start of the last scraped value of a counter.</summary>
    public double Total(string metric)
    {
        lock (gate) return lastMetrics.Values.Sum(m => m.Sum(metric));
    }

    /// <summary>SIGTERM to every replica; their exit codes.</summary>
    public async Task<IReadOnlyList<(string Identity, int Exit)>> StopAllAsync()
    {
        var exits = new List<(string, int)>();
        foreach (var r in replicas)
        {
            var p = r.Process!;
            if (p.HasExited) { exits.Add((r.Identity, p.ExitCode)); continue; }
            try { exits.Add((r.Identity, await p.StopAsync())); }
            catch (TimeoutException) { exits.Add((r.Identity, -1)); }
        }
        return exits;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var r in replicas)
            if (r.Process is { } p)
            {
                p.Kill();
                await SaveLogAsync(r.Identity, p);
                await p.DisposeAsync();
            }
    }

    /// <summary>Keeps a finished replica's console output (warnings and up) as <c>&lt;identity&gt;.log</c>.</summary>
    async Task SaveLogAsync(string identity, OperatorProcess p)
    {
        try { await File.WriteAllTextAsync(Path.Combine(logDirectory, identity + ".log"), await p.LogAsync().WaitAsync(TimeSpan.FromSeconds(10))); }
        catch (Exception e) when (e is IOException or TimeoutException) { }
    }

    sealed class Replica(char slot)
    {
        public char Slot { get; } = slot;
        public int Starts { get; set; }
        public string Identity { get; set; } = "";
        public OperatorProcess? Process { get; set; }
    }
}
