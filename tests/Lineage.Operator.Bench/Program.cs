using System.Diagnostics;
using k8s;
using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Controllers;
using Lineage.Operator.Runtime;
using Prometheus;

// N Generations created at once against the in-process test API server, the operator in the same process:
// time until every one is Evaluating with its evaluation Job (steady state), reconciles/s, peak RSS, and the
// process CPU over 10 idle seconds afterwards. The API server shares the process, so RSS and CPU include it.
int count = args.Length > 0 ? int.Parse(args[0]) : 1000;
var root = FindRoot();
var storeDir = Directory.CreateTempSubdirectory("lineage-bench");
await using var server = await Lineage.KubeApiServer.KubeApiServer.StartAsync();
server.InstallCrdsFromDirectory(Path.Combine(root, "crds"));
var client = new Kubernetes(server.ClientConfiguration());

var registry = Metrics.NewCustomRegistry();
var host = new ControllerHost(new Kubernetes(server.ClientConfiguration()), new ControllerHostOptions
{
    Workers = 4, ResyncPeriod = TimeSpan.Zero, LeaderElection = new LeaderElectionOptions { Enabled = false },
}, new RuntimeMetrics(registry));
LineageControllers.Register(host, registry);
using var stop = new CancellationTokenSource();
var run = host.RunAsync(stop.Token);
while (!host.Health.Synced) await Task.Delay(20);

var generations = new ResourceClient<Generation>(client);
var storeUri = new Uri(storeDir.FullName + "/").AbsoluteUri.TrimEnd('/');
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    await generations.CreateAsync(new Generation
    {
        Metadata = new V1ObjectMeta { Name = $"gen-{i}", NamespaceProperty = "bench" },
        Spec = new Generation.GenerationSpec
        {
            Lineage = $"l{i % 50}", Base = "hf://tiny/base",
            Evaluation = new EvaluationSpec { Dataset = new DataConfig { Task = "addition" }, Problems = 50 },
            Storage = new StorageSpec { Uri = storeUri },
        },
    }, ct));
var created = clock.Elapsed;

while (true)
{
    var all = await generations.ListAsync("bench", null, default);
    if (all.Count(g => g.Status?.Phase == GenerationPhases.Evaluating) == count) break;
    await Task.Delay(500);
}
var steady = clock.Elapsed;
double reconciles = Reconciles(registry);

// Settle first: tiered JIT recompiles the hot paths of the burst in the background for a few seconds.
await Task.Delay(TimeSpan.FromSeconds(5));
var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var idleReconcilesBefore = Reconciles(registry);
await Task.Delay(TimeSpan.FromSeconds(10));
process.Refresh();
var idleCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / 10 / Environment.ProcessorCount;
var idleReconciles = Reconciles(registry) - idleReconcilesBefore;

Console.WriteLine($"generations             {count}");
Console.WriteLine($"created in              {created.TotalSeconds:F1} s");
Console.WriteLine($"steady state after      {steady.TotalSeconds:F1} s (all Evaluating, {server.Requests.Count("create", "jobs")} evaluation Jobs)");
Console.WriteLine($"reconciles              {reconciles:F0} ({reconciles / steady.TotalSeconds:F0}/s)");
Console.WriteLine($"peak RSS                {process.PeakWorkingSet64 / (1 << 20)} MiB (operator + API server in one process)");
Console.WriteLine($"idle CPU (5-15 s after)   {idleCpu:P1} of {Environment.ProcessorCount} cores, {idleReconciles:F0} reconciles");

stop.Cancel();
await run;
storeDir.Delete(recursive: true);

static double Reconciles(CollectorRegistry registry)
{
    using var stream = new MemoryStream();
    registry.CollectAndExportAsTextAsync(stream).GetAwaiter().GetResult();
    return System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n')
        .Where(l => l.StartsWith("lineage_operator_reconcile_total{", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
    throw new InvalidOperationException("Operator.sln not found");
}
