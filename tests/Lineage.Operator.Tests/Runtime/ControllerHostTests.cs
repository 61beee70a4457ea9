using k8s;
using Xunit.Abstractions;
using k8s.Models;
using Lineage.Operator.Runtime;
using static Lineage.Operator.Tests.Runtime.ControllerWorkerTests;

namespace Lineage.Operator.Tests.Runtime;

public sealed class ControllerHostTests(ITestOutputHelper output)
{
    static ControllerHostOptions Local => new()
    {
        Workers = 2,
        ResyncPeriod = TimeSpan.Zero,
        LeaderElection = new LeaderElectionOptions { Enabled = false },
    };

    static (ControllerHost Host, WidgetReconciler Reconciler) WidgetHost(ApiServer api, ControllerHostOptions options)
    {
        var host = new ControllerHost(new Kubernetes(api.Server.ClientConfiguration()), options);
        var reconciler = new WidgetReconciler(host);
        host.For(reconciler)
            .Owns<V1ConfigMap>()
            .Watches<Widget>(w => w.Spec.Parent is { } parent ? [new ObjectKey(w.Metadata.NamespaceProperty, parent)] : []);
        return (host, reconciler);
    }

    static async Task<Widget?> StatusOf(ApiServer api, string name) =>
        await new ResourceClient<Widget>(api.Client).GetAsync(new ObjectKey("team", name), default);

    [Fact]
    public async Task Reconciles_new_objects_and_wakes_owners_on_changes_of_owned_and_related_objects()
    {
        await using var api = await ApiServer.StartAsync();
        var (host, reconciler) = WidgetHost(api, Local);
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        var widgets = new ResourceClient<Widget>(api.Client);
        var configMaps = new ResourceClient<V1ConfigMap>(api.Client);
        var parent = new ObjectKey("team", "parent");

        await widgets.CreateAsync(Widget.Named("team", "parent", size: 2), default);
        await WaitUntil(() => StatusOf(api, "parent").Result?.Status?.Phase == "Ready");
        Assert.True(host.Health.IsReady);
        var config = await configMaps.GetAsync(new ObjectKey("team", "parent-config"), default);
        Assert.NotNull(config);

        // The owned ConfigMap changes: its owner is reconciled (and writes nothing, nothing changed for it).
        var before = reconciler.Counts[parent];
        var statusWrites = api.Server.Requests.Count("update", "widgets", "status");
        config!.Data["size"] = "changed";
        await configMaps.ReplaceAsync(config, default);
        await WaitUntil(() => reconciler.Counts[parent] > before);
        Assert.Equal(statusWrites, api.Server.Requests.Count("update", "widgets", "status"));

        // A related Widget (spec.parent) appears: the parent is reconciled through the mapping function.
        await widgets.CreateAsync(Widget.Named("team", "child", parent: "parent"), default);
        await WaitUntil(() => StatusOf(api, "parent").Result?.Status?.Phase == "Parent of 1");

        stop.Cancel();
        Assert.Equal(HostExit.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.Equal(2, api.Server.Requests.Count("create", "configmaps"));
    }

    [Fact]
    public async Task Many_objects_reach_steady_state_with_one_list_and_concurrent_workers()
    {
        await using var api = await ApiServer.StartAsync();
        var widgets = new ResourceClient<Widget>(api.Client);
        var (host, reconciler) = WidgetHost(api, Local with { Workers = 8 });
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        await WaitUntil(() => host.Health.IsReady);

        // LINEAGE_RUNTIME_BENCH_WIDGETS=1000 turns this into the runtime's benchmark (see docs/benchmarks/opruntime.md).
        var count = int.TryParse(Environment.GetEnvironmentVariable("LINEAGE_RUNTIME_BENCH_WIDGETS"), out var n) ? n : 200;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, count).Select(i => widgets.CreateAsync(Widget.Named("team", $"w{i:d4}", size: i), default)));
        var created = started.Elapsed;
        await WaitUntil(() => api.Server.Requests.Count("update", "widgets", "status") >= count, seconds: 120);
        await WaitUntil(() => host.Controllers[0].Queue.Depth == 0);
        var steady = started.Elapsed;
        var reconciles = host.Controllers[0].Reconciles;
        output.WriteLine($"{count} widgets: created in {created.TotalSeconds:F2} s, steady state after {steady.TotalSeconds:F2} s, " +
            $"{reconciles} reconciles ({reconciles / steady.TotalSeconds:F0}/s), {api.Server.Requests.All.Count} API requests, " +
            $"peak working set {System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024)} MB (test process incl. API server)");

        Assert.Equal(1, api.Server.Requests.Count("list", "widgets"));
        Assert.Equal(count, (await widgets.ListAsync("team", null, default)).Count(w => w.Status?.ObservedSize == w.Spec.Size));
        Assert.Equal(count, api.Server.Requests.Count("create", "configmaps"));
        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task With_status_only_changes_ignored_a_controllers_own_status_write_does_not_wake_it()
    {
        await using var api = await ApiServer.StartAsync();
        var host = new ControllerHost(new Kubernetes(api.Server.ClientConfiguration()), Local);
        var reconciler = new WidgetReconciler(host);
        host.For(reconciler).IgnoreStatusOnlyChanges();
        using var stop = new CancellationTokenSource();
        var run = host.RunAsync(stop.Token);
        var widgets = new ResourceClient<Widget>(api.Client);
        var key = new ObjectKey("team", "w");

        await widgets.CreateAsync(Widget.Named("team", "w"), default);
        await WaitUntil(() => StatusOf(api, "w").Result?.Status?.Phase == "Ready");
        await Task.Delay(500);
        Assert.Equal(1, reconciler.Counts[key]);

        var w = (await widgets.GetAsync(key, default))!;
        w.Metadata.Annotations = new Dictionary<string, string> { ["approved"] = "true" };
        await widgets.ReplaceAsync(w, default);
        await WaitUntil(() => reconciler.Counts[key] == 2);

        stop.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(15));
    }
}
