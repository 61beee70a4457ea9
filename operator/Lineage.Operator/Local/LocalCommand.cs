using System.CommandLine;
using Lineage.Operator.Hosting;

namespace Lineage.Operator.Local;

/// <summary>
/// <c>lineage-operator local</c>: one process runs an embedded Kubernetes API server on 127.0.0.1 (state in SQLite under
/// the data folder), the operator's controllers exactly as in a cluster, and a local node that runs the trainer's Jobs as
/// local processes. It writes a kubeconfig for kubectl, applies --apply manifests, shows the lineages growing, prints a
/// summary when they are done, and keeps serving until Ctrl-C (or exits then, with --exit-when-done).
/// </summary>
public static class LocalCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder for the API server's database, the store, pods and logs (default $XDG_DATA_HOME/lineage or ~/.local/share/lineage)." };
        var apply = new Option<string[]>("--apply") { Description = "Manifest file or folder to apply once the cluster is up (repeatable), as kubectl apply --server-side would.", AllowMultipleArgumentsPerToken = true };
        var port = new Option<int>("--port") { Description = "API server port on 127.0.0.1 (0: a free one; the kubeconfig always names it).", DefaultValueFactory = _ => 0 };
        var trainer = new Option<string?>("--trainer") { Description = "The lineage-trainer to run pods with: its .dll or executable (env LINEAGE_TRAINER; default: built from this checkout)." };
        var cpus = new Option<double?>("--cpus") { Description = "CPUs the local node offers to pods (default: the machine's)." };
        var store = new Option<string?>("--store") { Description = "Default store of Lineages that name none: file:///… or s3://… (default file://<data>/store)." };
        var json = new Option<bool>("--json") { Description = "Print changes and the summary as JSON lines (for machines)." };
        var exit = new Option<bool>("--exit-when-done") { Description = "Stop once every lineage is done, after the summary, instead of serving until Ctrl-C." };
        var command = new Command("local", "Run a lineage on this machine: an embedded API server, the operator and a local node in one process.")
        {
            data, apply, port, trainer, cpus, store, json, exit,
        };
        var metrics = new Option<string>("--metrics-address") { Description = "Where /metrics, /healthz and /readyz are served.", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        command.Options.Add(metrics);
        var flags = OperatorFlags.AddTo(command, "kubeconfig", "namespace", "leader-elect", "lease-name", "lease-namespace", "identity", "metrics-address",
            "default-storage", "default-storage-secret", "default-storage-endpoint", "allow-file-storage"); // local mode always allows file:// stores
        command.SetAction(async (parse, ct) =>
        {
            LocalOptions options;
            try
            {
                var dataDir = Path.GetFullPath(parse.GetValue(data) ?? LocalOptions.DefaultDataDirectory());
                options = new LocalOptions
                {
                    DataDirectory = dataDir,
                    Apply = parse.GetValue(apply) ?? [],
                    Port = parse.GetValue(port),
                    Trainer = parse.GetValue(trainer) ?? Environment.GetEnvironmentVariable("LINEAGE_TRAINER"),
                    Cpus = parse.GetValue(cpus),
                    Store = parse.GetValue(store),
                    Json = parse.GetValue(json),
                    ExitWhenDone = parse.GetValue(exit),
                    MetricsAddress = parse.GetValue(metrics)!,
                    Operator = flags.Read(parse, Environment.GetEnvironmentVariable, null),
                };
                options.Validate();
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"lineage-operator local: {e.Message}");
                return 2;
            }
            return await LocalHost.RunAsync(options, ct).ConfigureAwait(false);
        });
        return command;
    }
}
