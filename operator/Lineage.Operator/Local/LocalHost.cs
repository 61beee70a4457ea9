using System.Runtime.InteropServices;
using System.Text.Json;
using k8s;
using Lineage.EmbeddedApiServer;
using Lineage.LocalNode;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Crds;
using Lineage.Operator.Hosting;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;
using Prometheus;
using Spectre.Console;

namespace Lineage.Operator.Local;

/// <summary>
/// Composes local mode: the embedded API server (CRDs generated from the types, state in the data folder), the local
/// node running the trainer, the operator's controllers (the same registration as in a cluster; leader election off and
/// the data folder's store as the default storage), then applies manifests and reports until the lineages are done.
/// </summary>
public static class LocalHost
{
    public static async Task<int> RunAsync(LocalOptions options, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        var console = AnsiConsole.Console;
        void Say(string line)
        {
            if (options.Json) Console.WriteLine(JsonSerializer.Serialize(new { message = line }));
            else if (console.Profile.Capabilities.Interactive) console.MarkupLineInterpolated($"[grey]{line}[/]");
            else Console.WriteLine(line); // no wrapping at a pipe's 80 columns
        }

        Directory.CreateDirectory(options.DataDirectory);
        var logFile = Path.Combine(options.DataDirectory, "lineage-local.log");
        using var loggers = FileLogging.Create(logFile);
        try
        {
            var trainer = await TrainerLocator.ResolveAsync(options.Trainer, Say, stop.Token).ConfigureAwait(false);
            Directory.CreateDirectory(options.CrdDirectory);
            foreach (var (file, yaml) in CrdGenerator.Generate()) await File.WriteAllTextAsync(Path.Combine(options.CrdDirectory, file), yaml, stop.Token).ConfigureAwait(false);

            await using var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
            {
                DataFile = options.DatabaseFile,
                Port = options.Port,
                CrdDirectory = options.CrdDirectory,
                PodLogDirectory = options.LogDirectory,
            }, stop.Token).ConfigureAwait(false);
            server.WriteKubeconfig(options.KubeconfigFile);
            using var client = new Kubernetes(server.ClientConfiguration());

            await using var node = await LocalNode.LocalNode.StartAsync(client, new LocalNodeOptions
            {
                DataDirectory = options.NodeDirectory,
                PodLogDirectory = options.LogDirectory,
                Cpus = options.Cpus ?? Environment.ProcessorCount,
                Images = new Dictionary<string, IReadOnlyList<string>> { ["*"] = trainer },
            }, loggers, stop.Token).ConfigureAwait(false);

            var operatorOptions = options.Operator with
            {
                LeaderElect = false,
                MetricsAddress = options.MetricsAddress,
                DefaultStorage = new StorageSpec { Uri = options.StoreUri },
                // The store is this machine's folder by design: the one place file:// stores are allowed.
                Tenants = options.Operator.Tenants with { AllowFileStorage = true },
            };
            await using var host = await OperatorHost.StartAsync(operatorOptions, client, Metrics.NewCustomRegistry(), stop.Token, loggers: loggers).ConfigureAwait(false);
            var controllers = host.Controllers.RunAsync(stop.Token);

            Say($"API server {server.Url} (state in {options.DatabaseFile}); store {options.StoreUri}; metrics {host.MetricsUrl}; log {logFile}");
            Say($"kubectl --kubeconfig {options.KubeconfigFile} get lin,gen -A");

            var applier = new ManifestApplier(client);
            foreach (var path in options.Apply)
                foreach (var applied in await applier.ApplyAsync(path, stop.Token).ConfigureAwait(false))
                    Say($"applied {applied.Kind} {(applied.Namespace is null ? "" : applied.Namespace + "/")}{applied.Name} ({applied.File})");

            var rows = await ProgressLoop.RunAsync(client, options.Json, console, stop.Token).ConfigureAwait(false);
            if (options.Json) Console.WriteLine(JsonSerializer.Serialize(new { summary = LocalView.SummaryJson(rows) }));
            else console.Write(LocalView.Summary(rows));
            var failed = rows.Any(r => r.Phase == LineagePhases.Failed || r.Generations.Any(g => g.Phase == GenerationPhases.Failed));
            if (options.ExitWhenDone)
            {
                stop.Cancel();
                await controllers.ConfigureAwait(false);
                return failed ? 1 : 0;
            }
            Say($"done; still serving for kubectl (kubectl --kubeconfig {options.KubeconfigFile} get gen -A); Ctrl-C stops");
            await controllers.ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            Say("stopped; the state is kept in " + options.DataDirectory);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or IOException)
        {
            Console.Error.WriteLine($"lineage-operator local: {e.Message}");
            return 2;
        }
    }
}
