using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lineage.Operator.Hosting;
using Lineage.Operator.Tests.Runtime;
using static Lineage.Operator.Tests.Runtime.ControllerWorkerTests;

namespace Lineage.Operator.Tests.Hosting;

/// <summary>The real <c>lineage-operator</c> process: configured by environment, stopped by SIGTERM.</summary>
public sealed class OperatorProcessTests
{
    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Starts_from_a_kubeconfig_becomes_ready_and_exits_cleanly_on_SIGTERM()
    {
        await using var api = await ApiServer.StartAsync();
        api.InstallLineageCrds();
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"lineage-op-{Guid.NewGuid():n}.kubeconfig");
        api.Server.WriteKubeconfig(kubeconfig);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "lineage-operator.dll"), "--leader-elect", "false"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            Environment = { ["KUBECONFIG"] = kubeconfig, ["LINEAGE_METRICS_ADDRESS"] = $"http://127.0.0.1:{port}" },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            await WaitUntil(() =>
            {
                try { return http.GetAsync("/readyz").Result.StatusCode == HttpStatusCode.OK; }
                catch (AggregateException) { return false; }
            }, seconds: 90);
            Assert.Contains("lineage_operator_leader 1", await http.GetStringAsync("/metrics"));

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{await output}\n{await errors}");
        }
        finally
        {
            if (!process.HasExited) process.Kill();
            File.Delete(kubeconfig);
        }
    }

    [Theory]
    [InlineData("--workers", "zero")]
    [InlineData("--wokers", "2")]
    public async Task A_bad_flag_exits_nonzero_without_starting(string flag, string value) =>
        Assert.NotEqual(0, await OperatorCommand.Create().Parse([flag, value]).InvokeAsync());
}
