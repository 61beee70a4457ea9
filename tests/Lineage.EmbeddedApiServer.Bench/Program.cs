// Measures the embedded API server through KubernetesClient over HTTP, as the operator uses it:
// concurrent creates, status writes, lists and watch fan-out for N custom objects; in memory, or with
// its state in a SQLite file (--data-file PATH: every write committed before it is answered).
// Usage: dotnet run -c Release --project tests/Lineage.EmbeddedApiServer.Bench [-- objects [watchers] [--data-file PATH]]
using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using Lineage.EmbeddedApiServer;

var dataFileAt = Array.IndexOf(args, "--data-file");
var dataFile = dataFileAt >= 0 && dataFileAt + 1 < args.Length ? args[dataFileAt + 1] : null;
var positional = args.Where((_, i) => dataFileAt < 0 || (i != dataFileAt && i != dataFileAt + 1)).ToArray();
var objects = positional.Length > 0 ? int.Parse(positional[0]) : 1000;
var watcherCount = positional.Length > 1 ? int.Parse(positional[1]) : 8;
const string Group = "bench.lineage.dev", Version = "v1", Plural = "items";
if (dataFile is not null && File.Exists(dataFile)) throw new IOException($"{dataFile} exists: the bench starts from an empty data file");

// Bookmarks every second for the idle measurement (the server's default is a minute, as kube-apiserver's).
await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = dataFile, BookmarkInterval = TimeSpan.FromSeconds(1) });
using var client = new Kubernetes(server.ClientConfiguration());
await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
{
    Metadata = new V1ObjectMeta { Name = $"{Plural}.{Group}" },
    Spec = new V1CustomResourceDefinitionSpec
    {
        Group = Group,
        Scope = "Namespaced",
        Names = new V1CustomResourceDefinitionNames { Plural = Plural, Kind = "Item" },
        Versions = [new V1CustomResourceDefinitionVersion
        {
            Name = Version, Served = true, Storage = true,
            Subresources = new V1CustomResourceSubresources { Status = new object() },
        }],
    },
});

// Watchers count events until each has seen every create and every status write.
var expected = objects * 2;
using var stop = new CancellationTokenSource();
var from = server.ResourceVersion.ToString();
var watchers = Enumerable.Range(0, watcherCount).Select(_ => Task.Run(async () =>
{
    var seen = 0;
    await foreach (var _ in client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, "default", Plural,
                       resourceVersion: from, cancellationToken: stop.Token))
        if (++seen == expected) break;
    return DateTime.UtcNow;
})).ToList();

var parallel = new ParallelOptions { MaxDegreeOfParallelism = 32 };
var clock = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, objects), parallel, async (i, ct) =>
{
    var body = new Dictionary<string, object>
    {
        ["apiVersion"] = $"{Group}/{Version}", ["kind"] = "Item",
        ["metadata"] = new Dictionary<string, object> { ["name"] = $"item-{i:D5}", ["labels"] = new Dictionary<string, string> { ["shard"] = (i % 10).ToString() } },
        ["spec"] = new Dictionary<string, object> { ["index"] = i, ["parent"] = $"item-{Math.Max(0, i - 1):D5}" },
    };
    await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, "default", Plural, cancellationToken: ct);
});
var createSeconds = clock.Elapsed.TotalSeconds;

clock.Restart();
await Parallel.ForEachAsync(Enumerable.Range(0, objects), parallel, async (i, ct) =>
{
    var patch = new V1Patch(new { status = new { phase = "Promoted", score = i / (double)objects } }, V1Patch.PatchType.MergePatch);
    await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(patch, Group, Version, "default", Plural, $"item-{i:D5}", cancellationToken: ct);
});
var statusSeconds = clock.Elapsed.TotalSeconds;
var writesDone = DateTime.UtcNow;

var watchDone = await Task.WhenAll(watchers).WaitAsync(TimeSpan.FromMinutes(2));
var fanOutLag = watchDone.Max() - writesDone;

clock.Restart();
const int lists = 20;
var listed = 0;
for (var i = 0; i < lists; i++)
{
    var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural);
    listed = list.GetProperty("items").GetArrayLength();
}
var listMs = clock.Elapsed.TotalMilliseconds / lists;

clock.Restart();
var selected = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural, labelSelector: "shard=3");
var selectorMs = clock.Elapsed.TotalMilliseconds;

await stop.CancelAsync();

// Idle cost: 10 quiet watches with bookmarks (every second by default) for 10 s.
using var idle = new CancellationTokenSource();
var idleWatches = Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
{
    try
    {
        await foreach (var _ in client.CustomObjects.WatchListNamespacedCustomObjectAsync(Group, Version, "default", Plural,
                           resourceVersion: server.ResourceVersion.ToString(), allowWatchBookmarks: true, cancellationToken: idle.Token))
        {
        }
    }
    catch (OperationCanceledException)
    {
    }
})).ToList();
// Let tiered JIT finish recompiling the hot paths of the run above, or it shows up as "idle" CPU.
await Task.Delay(5000);
var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
await Task.Delay(10_000);
var idleCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / 10_000 * 100;
await idle.CancelAsync();
await Task.WhenAll(idleWatches);

var heapMb = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024);
Process.GetCurrentProcess().Refresh();
Console.WriteLine($"state                        {(dataFile is null ? "memory" : $"SQLite {dataFile} ({new FileInfo(dataFile).Length / 1024} KB + WAL {(File.Exists(dataFile + "-wal") ? new FileInfo(dataFile + "-wal").Length / 1024 : 0)} KB)")}");
Console.WriteLine($"objects                      {objects}");
Console.WriteLine($"watchers                     {watcherCount}");
Console.WriteLine($"creates (32 parallel)        {createSeconds:F2} s  ({objects / createSeconds:F0}/s)");
Console.WriteLine($"status patches (32 parallel) {statusSeconds:F2} s  ({objects / statusSeconds:F0}/s)");
Console.WriteLine($"watch fan-out lag after last write  {fanOutLag.TotalMilliseconds:F0} ms ({watcherCount} x {expected} events)");
Console.WriteLine($"list of {listed} objects     {listMs:F1} ms (wall, incl. client-side JSON parsing)");
Console.WriteLine($"label-selected list ({selected.GetProperty("items").GetArrayLength()} of {objects})  {selectorMs:F1} ms");
Console.WriteLine($"idle CPU, 10 watches with bookmarks  {idleCpu:F2} % of one core");
Console.WriteLine($"managed heap after full GC   {heapMb:F0} MB (server state incl. history, and the client)");
Console.WriteLine($"process working set          {Process.GetCurrentProcess().WorkingSet64 / (1024 * 1024)} MB (server and client in one process)");
