using System.Diagnostics;
using k8s;
using k8s.Models;
using Lineage.EmbeddedApiServer;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;
using Lineage.Store;

namespace Lineage.Operator.Bench;

/// <summary>
/// One run: start the API server and the operator, create the scenario's Generations or Lineages at once, play Jobs
/// until every Generation and Lineage is where the plan says and the operator's queues are empty and quiet (steady state),
/// then sample the operator's CPU while nothing changes. Prints the numbers; exit 1 when steady state is not reached.
/// </summary>
public static class OperatorBench
{
    static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(250);
    const int IdleSlice = 5;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        ViewKinds.Check();
        var loadBefore = ProcStats.LoadAverage();
        // A history large enough that a watch reconnect never meets 410 Gone (kube-apiserver keeps ~5 minutes).
        await using var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { HistoryCapacity = 100_000, RequestLogCapacity = 2_000_000 });
        server.InstallCrdsFromDirectory(Path.Combine(RepoRoot(), "crds"));
        var storeDir = StoreFolder();
        var kubeconfig = Path.Combine(storeDir.Parent!.FullName, $"{storeDir.Name}.kubeconfig");
        server.WriteKubeconfig(kubeconfig);
        try
        {
            var storeUri = new Uri(storeDir.FullName + "/").AbsoluteUri.TrimEnd('/');
            var scenario = BenchScenario.For(options, storeUri);
            using var client = new Kubernetes(server.ClientConfiguration());
            await using var op = OperatorProcess.Start(kubeconfig, BenchScenario.Namespace, options.Workers, options.ServerGc, dll: options.OperatorDll);
            await op.WaitReadyAsync(TimeSpan.FromSeconds(60));
            var atReady = op.Stats();

            using var stop = new CancellationTokenSource();
            var informerOptions = new InformerOptions { Namespace = BenchScenario.Namespace, ResyncPeriod = TimeSpan.Zero };
            var jobs = new Informer<JobView>(new ResourceClient<JobView>(client), informerOptions);
            var generations = new Informer<GenerationView>(new ResourceClient<GenerationView>(client), informerOptions);
            var player = new JobPlayer(client, new FileSystemStore(storeDir.FullName), storeUri, scenario.Generations);
            player.Attach(jobs);
            // Only a Lineage scenario watches Lineages, so the Generation scenario's request counts stay comparable with earlier runs.
            var lineages = scenario.Lineages.Count > 0 ? new Informer<LineageView>(new ResourceClient<LineageView>(client), informerOptions) : null;
            var background = new List<Task> { jobs.RunAsync(stop.Token), generations.RunAsync(stop.Token), player.RunAsync(4, stop.Token) };
            if (lineages is not null) background.Add(lineages.RunAsync(stop.Token));
            await Task.WhenAll(jobs.WhenSynced, generations.WhenSynced, lineages?.WhenSynced ?? Task.CompletedTask);
            var progress = new ScenarioProgress(scenario, generations, lineages);

            Console.WriteLine($"lineage-operator pid {op.Pid} ready; RSS {Mb(atReady.RssBytes)}; load average {loadBefore}");
            Console.WriteLine($"operator: {options.Workers} workers per controller, GC {(options.ServerGc switch { true => "server", false => "workstation", null => "as built" })}{(options.OperatorDll is { } dll ? $", {dll}" : "")}");
            Console.WriteLine($"creating {scenario.Description} at once");
            var readyMetrics = await op.MetricsAsync();
            server.Requests.Clear();
            var benchCpuFrom = ProcStats.Read(Environment.ProcessId).CpuSeconds;
            var benchGcFrom = BenchGc.Now();
            var clock = Stopwatch.StartNew();
            var generationApi = new ResourceClient<Generation>(client);
            var lineageApi = new ResourceClient<LineageResource>(client);
            await Parallel.ForEachAsync(scenario.Objects, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (o, ct) => await (o switch
            {
                Generation g => generationApi.CreateAsync(g, ct),
                LineageResource l => (Task)lineageApi.CreateAsync(l, ct),
                _ => throw new InvalidOperationException($"the bench cannot create a {o.Kind}"),
            }));
            var createdIn = clock.Elapsed;

            var steady = await WaitSteadyAsync(op, progress, clock, TimeSpan.FromSeconds(options.TimeoutSeconds));
            var atSteady = op.Stats();
            var benchCpu = ProcStats.Read(Environment.ProcessId).CpuSeconds - benchCpuFrom;
            var benchGc = BenchGc.Now() - benchGcFrom;
            var steadyMetrics = await op.MetricsAsync();
            var runRequests = server.Requests.All.Count;
            var operatorTraffic = server.Requests.Traffic(CostTable.OperatorClient);
            var trafficAtSteady = (operatorTraffic.BytesSent, operatorTraffic.BytesReceived);
            var trafficByRequest = operatorTraffic.ByRequest;
            if (steady is null)
            {
                Console.WriteLine($"NOT STEADY after {options.TimeoutSeconds} s: {progress}; queue depth {steadyMetrics.QueueDepth}; Jobs played {player.Completed}");
                return 1;
            }

            // Idle: nothing changes; only the operator's own timers (requeues, resync, watch timeouts) can make it work.
            // (Printed now, so a heap dump or smaps of the operator can be taken at steady state from another shell.)
            Console.WriteLine($"steady after {steady.Value.Steady.TotalSeconds:F1} s; idle window {options.IdleSeconds} s");
            var idleFrom = server.Requests.All.Count;
            var idleReconcilesFrom = steadyMetrics.Reconciles();
            var slices = new List<double>();
            for (var at = op.Stats(); slices.Count * IdleSlice < options.IdleSeconds;)
            {
                await Task.Delay(TimeSpan.FromSeconds(IdleSlice));
                var next = op.Stats();
                slices.Add(100 * (next.CpuSeconds - at.CpuSeconds) / IdleSlice);
                at = next;
            }
            var afterIdle = op.Stats();
            var idleSeconds = slices.Count * IdleSlice;
            var idleMetrics = await op.MetricsAsync();
            var idleRequests = server.Requests.All.Skip(idleFrom).ToList();
            var loadAfter = ProcStats.LoadAverage();

            var reconciles = steadyMetrics.Reconciles();
            Console.WriteLine();
            Console.WriteLine($"created in                 {createdIn.TotalSeconds:F2} s");
            Console.WriteLine($"every phase reached after  {steady.Value.Phases.TotalSeconds:F2} s");
            Console.WriteLine($"steady state after         {steady.Value.Steady.TotalSeconds:F2} s   (phases + queues empty + no reconcile for {Tick.TotalMilliseconds:F0} ms)");
            Console.WriteLine($"reconciles                 {reconciles:F0}   ({reconciles / steady.Value.Steady.TotalSeconds:F0}/s)");
            foreach (var (labels, value) in steadyMetrics.Series("lineage_operator_reconcile_total")) Console.WriteLine($"    {labels} {value}");
            foreach (var controller in steadyMetrics.Series("lineage_operator_reconcile_duration_seconds_count").Select(s => s.Labels))
            {
                double Mean(string metric) => steadyMetrics.Sum(metric + "_sum", controller) / Math.Max(1, steadyMetrics.Sum(metric + "_count", controller));
                Console.WriteLine($"    {controller}: mean reconcile {1000 * Mean("lineage_operator_reconcile_duration_seconds"):F0} ms, mean queue wait {1000 * Mean("lineage_operator_workqueue_wait_seconds"):F0} ms");
            }
            Console.WriteLine($"settled                    {progress}");
            Console.WriteLine($"reconcile errors           {steadyMetrics.Sum("lineage_operator_reconcile_errors_total")}");
            Console.WriteLine($"Jobs played                {player.Completed}");
            Console.WriteLine($"API requests (run)         {runRequests}   ({runRequests / steady.Value.Steady.TotalSeconds:F0}/s)");
            foreach (var line in ByVerb(server.Requests.All.Take(runRequests))) Console.WriteLine($"    {line}");
            Console.WriteLine($"operator RSS               ready {Mb(atReady.RssBytes)}, steady {Mb(atSteady.RssBytes)}, peak (VmHWM) {Mb(afterIdle.PeakRssBytes)}");
            Console.WriteLine($"operator CPU (run)         {atSteady.CpuSeconds - atReady.CpuSeconds:F1} s CPU in {steady.Value.Steady.TotalSeconds:F1} s wall");
            Console.WriteLine($"bench CPU (run)            {benchCpu:F1} s (API server, Job player, creates; same machine)");
            Console.WriteLine($"bench GCs and JIT (run)    {benchGc}");
            Console.WriteLine($"operator GCs (run)         {string.Join(", ", steadyMetrics.Series("dotnet_collection_count_total").Select(s => $"{s.Labels} {s.Value}"))}");
            double RunDelta(string metric) => steadyMetrics.Sum(metric) - readyMetrics.Sum(metric);
            Console.WriteLine($"operator JIT (run)         {RunDelta("system_runtime_dotnet_jit_compilation_time"):F2} s for {RunDelta("system_runtime_dotnet_jit_compiled_methods"):F0} methods");
            var idleCpu = afterIdle.CpuSeconds - atSteady.CpuSeconds;
            Console.WriteLine($"idle CPU                   {idleCpu:F2} s CPU in {idleSeconds} s = {100 * idleCpu / idleSeconds:F2} % of one core");
            Console.WriteLine($"    per {IdleSlice} s: {string.Join(", ", slices.Select(p => $"{p:F1} %"))}");
            Console.WriteLine($"idle reconciles            {idleMetrics.Reconciles() - idleReconcilesFrom:F0}");
            Console.WriteLine($"idle API requests          {idleRequests.Count} (the bench's own /metrics scrape excluded; they are not API requests)");
            foreach (var line in ByVerb(idleRequests)) Console.WriteLine($"    {line}");
            Console.WriteLine($"load average               before {loadBefore}, after {loadAfter} (2 cores, shared)");
            Console.WriteLine();
            await CostTable.PrintAsync(client, server.Requests.All.Take(runRequests).ToList(), scenario.Generations.Count,
                atSteady.CpuSeconds - atReady.CpuSeconds, trafficAtSteady, trafficByRequest);

            if (options.WatchDecode) await WatchDecodeBench.RunAsync(client.BaseUri);

            stop.Cancel();
            await Task.WhenAll(background);
            var exit = await op.StopAsync();
            Console.WriteLine($"operator exit on SIGTERM   {exit}");
            return exit == 0 ? 0 : 1;
        }
        finally
        {
            File.Delete(kubeconfig);
            storeDir.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Polls until every Generation and Lineage is settled and the operator's queues are empty with no reconcile since the
    /// previous look; returns when the phases were first all reached and when steady state was seen.
    /// </summary>
    static async Task<(TimeSpan Phases, TimeSpan Steady)?> WaitSteadyAsync(OperatorProcess op, ScenarioProgress progress, Stopwatch clock, TimeSpan timeout)
    {
        TimeSpan? phases = null;
        var lastReconciles = -1.0;
        var lastReport = TimeSpan.Zero;
        while (clock.Elapsed < timeout)
        {
            await Task.Delay(Tick);
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(5))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine($"  {clock.Elapsed.TotalSeconds,6:F1} s  {progress}");
            }
            if (!progress.AllSettled) continue;
            phases ??= clock.Elapsed;
            var metrics = await op.MetricsAsync();
            var reconciles = metrics.Reconciles();
            if (metrics.QueueDepth == 0 && reconciles == lastReconciles) return (phases.Value, clock.Elapsed);
            lastReconciles = reconciles;
        }
        return null;
    }

    /// <summary>
    /// The played trainers' store: in memory (/dev/shm) where the machine has it, as a cluster's trainers write to MinIO on
    /// other machines than the operator's; on this VM's ext4, creating the run's ~10,000 files cost the bench process
    /// 7 % of its CPU in the kernel's inode allocation, on the 2 cores the operator is measured on. Only with 1 GiB free
    /// there (a container's /dev/shm is often 64 MB; 10,000 Generations take ~160 MB of 4 KiB pages).
    /// </summary>
    static DirectoryInfo StoreFolder() => Directory.Exists("/dev/shm") && new DriveInfo("/dev/shm").AvailableFreeSpace >= 1L << 30
        ? Directory.CreateDirectory(Path.Combine("/dev/shm", $"lineage-bench-store-{Guid.NewGuid():N}"))
        : Directory.CreateTempSubdirectory("lineage-bench-store");

    static IEnumerable<string> ByVerb(IEnumerable<EmbeddedApiServer.RequestRecord> requests) =>
        requests.GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}")
            .OrderByDescending(g => g.Count()).Select(g => $"{g.Count(),7}  {g.Key}");

    static string Mb(long bytes) => $"{bytes / (1024.0 * 1024):F0} MB";

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"Operator.sln not found above {AppContext.BaseDirectory}");
    }
}
