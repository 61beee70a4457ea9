using k8s;
using k8s.Models;
using Lineage.EmbeddedApiServer;

namespace Lineage.Operator.Bench;

/// <summary>
/// What each Generation cost the operator in one run (issue 15): its API requests by verb and kind (writes first),
/// the body bytes it sent and received (watch streams included), its CPU-seconds per 1,000 Generations, and the
/// Events it recorded by involved kind and reason. Only the operator's requests count (its User-Agent), not the
/// bench's informers or the Job player's status patches.
/// </summary>
public static class CostTable
{
    public const string OperatorClient = "lineage-operator";

    public static async Task PrintAsync(Kubernetes client, IReadOnlyList<RequestRecord> run,
        int generations, double operatorCpuSeconds, (long Sent, long Received) traffic, IReadOnlyDictionary<string, (long Sent, long Received)> trafficByRequest)
    {
        var ours = run.Where(r => r.Client == OperatorClient).ToList();
        var writes = ours.Where(r => r.IsWrite).ToList();
        var reads = ours.Where(r => !r.IsWrite).ToList();
        double Per(double n) => n / generations;
        Console.WriteLine($"cost per Generation ({generations} Generations; the operator's requests only, by its User-Agent)");
        Console.WriteLine($"    API writes            {Per(writes.Count),8:F2}   ({writes.Count} in all; {writes.Count(r => !r.Succeeded)} answered non-2xx)");
        foreach (var (key, n) in ByVerbAndKind(writes)) Console.WriteLine($"        {Per(n),8:F2}  {key}");
        foreach (var (key, n) in ByVerbAndKind(writes.Where(r => !r.Succeeded))) Console.WriteLine($"        {Per(n),8:F2}  {key} answered non-2xx (409 conflict or AlreadyExists: retried)");
        Console.WriteLine($"    API reads             {Per(reads.Count),8:F2}   ({reads.Count} in all)");
        foreach (var (key, n) in ByVerbAndKind(reads)) Console.WriteLine($"        {Per(n),8:F2}  {key}");
        Console.WriteLine($"    bytes sent            {Per(traffic.Sent) / 1024,8:F2} KiB   ({traffic.Sent / (1024.0 * 1024):F1} MiB request bodies)");
        Console.WriteLine($"    bytes received        {Per(traffic.Received) / 1024,8:F2} KiB   ({traffic.Received / (1024.0 * 1024):F1} MiB responses and watch events)");
        foreach (var (key, bytes) in trafficByRequest.Where(kv => kv.Value.Sent + kv.Value.Received > 0).OrderByDescending(kv => kv.Value.Received + kv.Value.Sent))
            Console.WriteLine($"        {Per(bytes.Sent) / 1024,8:F2} KiB sent, {Per(bytes.Received) / 1024,8:F2} KiB received  {key}");
        Console.WriteLine($"    operator CPU          {1000 * Per(operatorCpuSeconds),8:F2} s per 1,000 Generations");
        var events = await client.CoreV1.ListNamespacedEventAsync(BenchScenario.Namespace);
        var counted = events.Items.Sum(e => e.Count ?? 1);
        Console.WriteLine($"    Events                {Per(events.Items.Count),8:F2} objects, {Per(counted):F2} occurrences (count)");
        foreach (var g in events.Items.GroupBy(e => $"{e.InvolvedObject.Kind} {e.Reason}").OrderByDescending(g => g.Count()))
            Console.WriteLine($"        {Per(g.Count()),8:F2}  {g.Key}");
    }

    static IEnumerable<(string Key, int Count)> ByVerbAndKind(IEnumerable<RequestRecord> requests) =>
        requests.GroupBy(r => $"{r.Verb} {r.Resource}{(r.Subresource is null ? "" : "/" + r.Subresource)}")
            .Select(g => (g.Key, g.Count())).OrderByDescending(x => x.Item2);
}
