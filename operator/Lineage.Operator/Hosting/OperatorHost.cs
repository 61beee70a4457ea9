using k8s;
using Lineage.Operator.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Lineage.Operator.Hosting;

/// <summary>
/// The <c>lineage-operator</c> process: the controller host plus an HTTP endpoint serving <c>/healthz</c>,
/// <c>/readyz</c> and <c>/metrics</c>. Exits 0 on SIGTERM, 1 when leadership is lost (the pod restarts clean).
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    readonly WebApplication web;

    OperatorHost(WebApplication web, ControllerHost controllers)
    {
        this.web = web;
        Controllers = controllers;
    }

    public ControllerHost Controllers { get; }

    /// <summary>The address /metrics, /healthz and /readyz are served on (with the real port when 0 was asked).</summary>
    public Uri MetricsUrl => new(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    /// <summary>Runs the operator until SIGTERM/SIGINT (exit 0) or a lost leadership (exit 1: the pod restarts clean).</summary>
    public static async Task<int> RunAsync(OperatorOptions options, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        using var client = OperatorClient.Create(ClientConfiguration(options), options.Identity);
        await using var host = await StartAsync(options, client, Metrics.DefaultRegistry, stop.Token).ConfigureAwait(false);
        var exit = await host.Controllers.RunAsync(stop.Token).ConfigureAwait(false);
        return exit == HostExit.LeadershipLost ? 1 : 0;
    }

    /// <summary>A kubeconfig when given, else the in-cluster service account, else ~/.kube/config (read by <see cref="KubeconfigFile"/>).</summary>
    public static KubernetesClientConfiguration ClientConfiguration(OperatorOptions options)
    {
        if (options.Kubeconfig is { } path) return KubeconfigFile.Load(path);
        if (KubernetesClientConfiguration.IsInCluster()) return KubernetesClientConfiguration.InClusterConfig();
        return File.Exists(KubernetesClientConfiguration.KubeConfigDefaultLocation)
            ? KubeconfigFile.Load(KubernetesClientConfiguration.KubeConfigDefaultLocation)
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }

    /// <summary>Builds the host, registers the controllers and starts serving health and metrics (not yet reconciling).</summary>
    /// <param name="options">The operator's settings.</param>
    /// <param name="client">The API server to reconcile against.</param>
    /// <param name="registry">Where the operator's metrics go.</param>
    /// <param name="ct">Stops the start.</param>
    /// <param name="register">Replaces <see cref="ControllerRegistrations"/> (tests, embedded modes).</param>
    /// <param name="loggers">Where the controllers log (local mode: a file); default the console.</param>
    public static async Task<OperatorHost> StartAsync(
        OperatorOptions options, IKubernetes client, CollectorRegistry registry, CancellationToken ct, Action<ControllerHost>? register = null,
        ILoggerFactory? loggers = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(options.MetricsAddress);
        builder.Logging.ClearProviders();
        if (loggers is null) builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        var web = builder.Build();

        var controllers = new ControllerHost(client, options.ToHostOptions(), new RuntimeMetrics(registry), loggers ?? web.Services.GetRequiredService<ILoggerFactory>());
        if (register is null) ControllerRegistrations.Register(controllers, options);
        else register(controllers);

        web.MapGet("/healthz", () => Results.Text("ok"));
        web.MapGet("/readyz", () => controllers.Health.IsReady
            ? Results.Text("ready")
            : Results.Text($"not ready: synced={controllers.Health.Synced}, leader={controllers.Health.State}", statusCode: StatusCodes.Status503ServiceUnavailable));
        web.MapMetrics("/metrics", registry);
        await web.StartAsync(ct).ConfigureAwait(false);
        return new OperatorHost(web, controllers);
    }

    public async ValueTask DisposeAsync()
    {
        await web.StopAsync().ConfigureAwait(false);
        await web.DisposeAsync().ConfigureAwait(false);
    }
}
