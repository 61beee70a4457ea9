using System.Diagnostics;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lineage.EmbeddedApiServer;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;
using Lineage.Store;

namespace Lineage.Operator.Bench;

/// <summary>
/// The chaos benchmark (issue 14, the control plane): two real <c>lineage-operator</c> replicas electing a leader against
/// the embedded API server (SQLite-backed, so it can restart), Lineages created in waves for the whole run while
/// <see cref="ChaosFaults"/> injects faults, Jobs played as in the operator benchmark. After the fault phase it waits
/// until everything settles, stops the replicas, checks <see cref="ChaosInvariants"/> and prints the fault and
/// invariant tables; exit 1 if any invariant broke.
/// </summary>
public static class ChaosBench
{
    static readonly TimeSpan WaveEvery = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        ViewKinds.Check();
        var loadBefore = ProcStats.LoadAverage();
        var work = Directory.CreateTempSubdirectory("lineage-chaos");
        var storeDir = work.CreateSubdirectory("store");
        var logs = work.CreateSubdirectory("logs");
        var kubeconfig = Path.Combine(work.FullName, "kubeconfig");
        var duration = TimeSpan.FromMinutes(options.DurationMinutes);
        var random = new Random(options.Seed);

        await using var api = new ChaosApiServer(new EmbeddedApiServerOptions
        {
            DataFile = Path.Combine(work.FullName, "api.db"), Port = OperatorProcess.FreePort(), CrdDirectory = Path.Combine(RepoRoot(), "crds"),
            HistoryCapacity = 100_000, RequestLogCapacity = 5_000_000,
        });
        await api.StartAsync();
        api.Current.WriteKubeconfig(kubeconfig);
        var storeUri = new Uri(storeDir.FullName + "/").AbsoluteUri.TrimEnd('/');
        var scenario = LineageScenario.Build(options.LineageCount, options.Depth, storeUri);
        // The same URL across restarts: the server comes back on the same port.
        using var client = new Kubernetes(api.Current.ClientConfiguration());
        await using var replicas = new OperatorReplicas(kubeconfig, options.Workers, options.ServerGc, 2, logs.FullName);
        replicas.StartAll();

        using var stop = new CancellationTokenSource();
        var informerOptions = new InformerOptions { Namespace = BenchScenario.Namespace, ResyncPeriod = TimeSpan.Zero };
        var jobs = new Informer<JobView>(new ResourceClient<JobView>(client), informerOptions);
        var generations = new Informer<GenerationView>(new ResourceClient<GenerationView>(client), informerOptions);
        var lineages = new Informer<LineageView>(new ResourceClient<LineageView>(client), informerOptions);
        var store = new FileSystemStore(storeDir.FullName);
        var player = new JobPlayer(client, store, storeUri, scenario.Generations);
        player.Attach(jobs);
        var background = new List<Task>
        {
            jobs.RunAsync(stop.Token), generations.RunAsync(stop.Token), lineages.RunAsync(stop.Token), player.RunAsync(4, stop.Token),
            replicas.SuperviseAsync(TimeSpan.FromSeconds(1), stop.Token),
        };
        await Task.WhenAll(jobs.WhenSynced, generations.WhenSynced, lineages.WhenSynced);
        var progress = new ScenarioProgress(scenario, generations, lineages);

        Console.WriteLine($"chaos benchmark: seed {options.Seed}, {options.DurationMinutes} min of faults (~{options.FaultsPerMinute}/min), " +
                          $"{scenario.Description} created in waves every {WaveEvery.TotalSeconds:F0} s; 2 operator replicas electing a leader, " +
                          $"{options.Workers} workers each; load average {loadBefore} (2 cores, shared)");
        Console.WriteLine($"work folder {work.FullName} (API server data, store, replica logs)");
        var clock = Stopwatch.StartNew();
        var faults = new ChaosFaults(api, replicas, random, options.FaultsPerMinute);
        var injecting = faults.RunAsync(clock, duration, stop.Token);
        var creating = CreateInWavesAsync(client, scenario, duration, clock, stop.Token);
        var reporting = ReportAsync(progress, player, clock, stop.Token);
        await creating;
        await injecting;
        var faultPhase = clock.Elapsed;
        Console.WriteLine($"  {clock.Elapsed.TotalSeconds,7:F1} s  fault phase over; waiting for every Generation and Lineage to settle");

        var settleTimeout = TimeSpan.FromSeconds(Math.Max(options.TimeoutSeconds, 600));
        while (!progress.AllSettled && clock.Elapsed - faultPhase < settleTimeout) await Task.Delay(1000);
        var settledAfter = clock.Elapsed - faultPhase;
        // A last look at the queues: a few seconds with nothing to do.
        await Task.Delay(TimeSpan.FromSeconds(5));

        var final = (Generations: await new ResourceClient<Generation>(client).ListAsync(BenchScenario.Namespace, null, CancellationToken.None),
            Lineages: await new ResourceClient<LineageResource>(client).ListAsync(BenchScenario.Namespace, null, CancellationToken.None),
            Jobs: (await client.BatchV1.ListNamespacedJobAsync(BenchScenario.Namespace)).Items.Select(j => j.Metadata.Name).ToList());
        stop.Cancel();
        try { await Task.WhenAll([.. background, reporting]); }
        catch (OperationCanceledException) { }
        var exits = await replicas.StopAllAsync();
        var relists = replicas.Total("lineage_operator_relists_total");
        var watchRestarts = replicas.Total("lineage_operator_watch_restarts_total");
        var reconcileErrors = replicas.Total("lineage_operator_reconcile_errors_total");
        await api.DisposeAsync();
        var requests = api.AllRequests();
        var injectedRequests = api.InjectedFaults();

        var results = new List<InvariantResult>
        {
            ChaosInvariants.PlannedPhases(scenario, final.Generations, final.Lineages),
            ChaosInvariants.CreatedOnce(requests, out var alreadyExists),
            ChaosInvariants.JobsAsPlanned(scenario, final.Jobs),
            await ChaosInvariants.PromotedWithOwnEvaluation(final.Generations, store, CancellationToken.None),
            ChaosInvariants.WritesOnlyByLeaseHolder(requests, out var holderChanges),
        };

        Console.WriteLine();
        Console.WriteLine($"fault phase {faultPhase.TotalMinutes:F1} min; settled {settledAfter.TotalSeconds:F0} s after it ({progress})");
        Console.WriteLine($"replica starts {replicas.Starts}; exits the bench did not cause: {replicas.OwnExits.Count} " +
                          $"({string.Join(", ", replicas.OwnExits.Select(e => $"{e.Identity} exit {e.ExitCode}"))}; exit 1 = lost the lease)");
        Console.WriteLine($"lease holder changes {holderChanges}; operator watch restarts {watchRestarts:F0}, relists after 410 Gone {relists:F0}, reconcile errors {reconcileErrors:F0} (last scrape of each replica start)");
        Console.WriteLine($"Jobs played {player.Completed} ({player.Retries} plays retried); API requests {requests.Count}; final SIGTERM exits: {string.Join(", ", exits.Select(e => $"{e.Identity} {e.Exit}"))}");
        Console.WriteLine();
        Console.WriteLine("| fault | injected (events) | requests hit | drawn but not possible |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var kind in Enum.GetValues<ChaosFault>())
        {
            var hit = kind switch
            {
                ChaosFault.Conflict409 => $"{injectedRequests.GetValueOrDefault("409")} answered 409",
                ChaosFault.Throttle429 => $"{injectedRequests.GetValueOrDefault("429")} answered 429 + Retry-After",
                ChaosFault.Error500 => $"{injectedRequests.GetValueOrDefault("500")} answered 500 (lease renewals included)",
                ChaosFault.SlowResponses => $"{injectedRequests.GetValueOrDefault("delay")} delayed 0.3–2.5 s",
                ChaosFault.DropWatches or ChaosFault.Compaction410 => kind == ChaosFault.DropWatches ? $"{faults.WatchesDropped} watch streams cut (both kinds)" : $"{relists:F0} operator relists after 410",
                ChaosFault.ApiServerRestart => $"{api.Restarts} restarts",
                ChaosFault.KillLeader => $"{faults.KillsMidReconcile} while reconciling",
                ChaosFault.LeaseLoss => $"{replicas.OwnExits.Count(e => e.ExitCode == 1)} replicas stopped leading and exited",
                _ => "",
            };
            Console.WriteLine($"| {kind} | {faults.Injected[kind]} | {hit} | {faults.Skipped[kind]} |");
        }
        Console.WriteLine($"| all | {faults.Injected.Values.Sum()} | {injectedRequests.Values.Sum()} requests failed or delayed | {faults.Skipped.Values.Sum()} |");
        Console.WriteLine();
        Console.WriteLine("| invariant | checked | violated |");
        Console.WriteLine("|---|---|---|");
        foreach (var r in results) Console.WriteLine($"| {r.Name} | {r.Checked} | {r.Violations.Count} |");
        Console.WriteLine($"(create answered AlreadyExists, harmless: {alreadyExists})");
        foreach (var r in results.Where(r => !r.Held))
        {
            Console.WriteLine($"VIOLATED: {r.Name}");
            foreach (var v in r.Violations.Take(20)) Console.WriteLine($"    {v}");
            if (r.Violations.Count > 20) Console.WriteLine($"    … {r.Violations.Count - 20} more");
        }
        Console.WriteLine($"load average before {loadBefore}, after {ProcStats.LoadAverage()}");
        var held = results.All(r => r.Held);
        Console.WriteLine(held ? "ALL INVARIANTS HELD" : "INVARIANTS VIOLATED");
        if (held)
        {
            storeDir.Delete(recursive: true);
            foreach (var f in work.GetFiles("api.db*")) f.Delete();
            Console.WriteLine($"replica logs kept in {logs.FullName}");
        }
        else Console.WriteLine($"kept {work.FullName} (API server data, store, replica logs) for inspection");
        return held ? 0 : 1;
    }

    /// <summary>Creates the scenario's Lineages in waves through the first 80 % of the run, retrying while the API server is away.</summary>
    static async Task CreateInWavesAsync(Kubernetes client, BenchScenario scenario, TimeSpan duration, Stopwatch clock, CancellationToken ct)
    {
        var api = new ResourceClient<LineageResource>(client);
        var waves = Math.Max(1, (int)(duration * 0.8 / WaveEvery));
        var perWave = (int)Math.Ceiling(scenario.Objects.Count / (double)waves);
        for (var w = 0; w < waves; w++)
        {
            var due = WaveEvery * w;
            if (clock.Elapsed < due) await Task.Delay(due - clock.Elapsed, ct);
            foreach (var o in scenario.Objects.Skip(w * perWave).Take(perWave).Cast<LineageResource>())
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await api.CreateAsync(o, ct);
                        break;
                    }
                    catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Conflict) { break; }
                    catch (Exception e) when (e is HttpRequestException or HttpOperationException or IOException)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), ct);
                    }
                }
        }
    }

    static async Task ReportAsync(ScenarioProgress progress, JobPlayer player, Stopwatch clock, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(30), ct);
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds,7:F1} s  {progress}; Jobs played {player.Completed}");
            }
        }
        catch (OperationCanceledException) { }
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.sln not found above {AppContext.BaseDirectory}");
    }
}
