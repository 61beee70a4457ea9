using System.Diagnostics;
using System.Net;
using k8s;
using Lineage.Operator.Hosting;
using Lineage.Operator.Runtime;
using Lineage.Operator.Tests.Runtime;
using Prometheus;
using static Lineage.Operator.Tests.Runtime.ControllerWorkerTests;

namespace Lineage.Operator.Tests.Hosting;

public sealed class OperatorHostTests
{
    static readonly OperatorOptions LocalOptions = new() { LeaderElect = false, MetricsAddress = "http://127.0.0.1:0", ResyncPeriod = TimeSpan.Zero };

    static async Task<(OperatorHost Host, Task<HostExit> Run, CancellationTokenSource Stop, HttpClient Http)> StartAsync(
        ApiServer api, Action<ControllerHost>? register = null)
    {
        var stop = new CancellationTokenSource();
        var host = await OperatorHost.StartAsync(LocalOptions, new Kubernetes(api.Server.ClientConfiguration()), Metrics.NewCustomRegistry(), stop.Token, register);
        var run = host.Controllers.RunAsync(stop.Token);
        return (host, run, stop, new HttpClient { BaseAddress = host.MetricsUrl });
    }

    [Fact]
    public async Task Runs_with_zero_controllers_and_answers_health_and_readiness()
    {
        await using var api = await ApiServer.StartAsync();
        var (host, run, stop, http) = await StartAsync(api, _ => { });
        await using (host)
        {
            Assert.Equal("ok", await http.GetStringAsync("/healthz"));
            await WaitUntil(() => http.GetAsync("/readyz").Result.StatusCode == HttpStatusCode.OK);
            Assert.Equal(LeaderState.Disabled, host.Controllers.Health.State);
            stop.Cancel();
            Assert.Equal(HostExit.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await http.GetAsync("/readyz")).StatusCode);
        }
    }

    [Fact]
    public async Task Metrics_count_reconciles_per_controller_and_result()
    {
        await using var api = await ApiServer.StartAsync();
        var (host, run, stop, http) = await StartAsync(api, h => h.For(new WidgetReconciler(h)));
        await using (host)
        {
            await new ResourceClient<Widget>(api.Client).CreateAsync(Widget.Named("team", "w"), default);
            var controller = host.Controllers.Controllers[0];
            await WaitUntil(() => controller.Reconciles >= 1 && controller.Queue.Depth == 0);
            await Task.Delay(300);
            var reconciles = controller.Reconciles;

            var text = await http.GetStringAsync("/metrics");
            Assert.Contains($"lineage_operator_reconcile_total{{controller=\"widget\",result=\"success\"}} {reconciles}\n", text);
            Assert.Contains($"lineage_operator_reconcile_duration_seconds_count{{controller=\"widget\"}} {reconciles}\n", text);
            Assert.Contains($"lineage_operator_workqueue_wait_seconds_count{{controller=\"widget\"}} {reconciles}\n", text);
            Assert.Contains("lineage_operator_workqueue_depth{controller=\"widget\"} 0\n", text);
            Assert.Contains("lineage_operator_leader 1", text);
            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    [PromtoolFact]
    public async Task Promtool_accepts_the_operators_own_metrics()
    {
        await using var api = await ApiServer.StartAsync();
        var (host, run, stop, http) = await StartAsync(api, h => h.For(new WidgetReconciler(h)));
        await using (host)
        {
            await new ResourceClient<Widget>(api.Client).CreateAsync(Widget.Named("team", "w"), default);
            await WaitUntil(() => host.Controllers.Controllers[0].Reconciles >= 1);
            api.Server.DropWatches();
            await WaitUntil(() => host.Controllers.Metrics.WatchRestarts.WithLabels("Widget").Value >= 1);

            var exposition = await http.GetStringAsync("/metrics");
            var own = string.Join('\n', exposition.Split('\n').Where(IsLineageLine)) + "\n";
            Assert.Contains("lineage_operator_watch_restarts_total{kind=\"Widget\"}", own);

            var (code, output) = await RunPromtool(own);
            Assert.True(code == 0, $"promtool check metrics failed:\n{output}\n--- exposition ---\n{own}");
            stop.Cancel();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Only the lineage_* families are linted; prometheus-net's process metrics are not ours to rename.</summary>
    static bool IsLineageLine(string line) =>
        line.StartsWith("lineage_", StringComparison.Ordinal)
        || line.StartsWith("# HELP lineage_", StringComparison.Ordinal)
        || line.StartsWith("# TYPE lineage_", StringComparison.Ordinal);

    static async Task<(int Code, string Output)> RunPromtool(string exposition)
    {
        var start = new ProcessStartInfo(PromtoolFactAttribute.Path!, "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await stdout + await stderr);
    }

    [Fact]
    public async Task A_kubeconfig_file_points_the_client_at_its_server()
    {
        await using var api = await ApiServer.StartAsync();
        var path = Path.Combine(Path.GetTempPath(), $"lineage-kubeconfig-{Guid.NewGuid():n}");
        api.Server.WriteKubeconfig(path);
        try
        {
            var config = OperatorHost.ClientConfiguration(new OperatorOptions { Kubeconfig = path });
            using var client = new Kubernetes(config);
            Assert.NotNull(await client.CoreV1.ReadNamespaceAsync("default"));
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_missing_kubeconfig_is_refused_by_path()
    {
        var error = Assert.Throws<FileNotFoundException>(() => OperatorHost.ClientConfiguration(new OperatorOptions { Kubeconfig = "/nonexistent/kubeconfig" }));
        Assert.Contains("/nonexistent/kubeconfig", error.Message);
    }

    [Fact]
    public async Task The_registered_controllers_sync_and_become_ready()
    {
        await using var api = await ApiServer.StartAsync();
        api.InstallLineageCrds();
        var (host, run, stop, http) = await StartAsync(api);
        await using (host)
        {
            await WaitUntil(() => http.GetAsync("/readyz").Result.StatusCode == HttpStatusCode.OK);
            Assert.NotEmpty(host.Controllers.Controllers);
            Assert.All(host.Controllers.Informers, i => Assert.True(i.HasSynced));
            stop.Cancel();
            Assert.Equal(HostExit.Stopped, await run.WaitAsync(TimeSpan.FromSeconds(15)));
        }
    }
}
