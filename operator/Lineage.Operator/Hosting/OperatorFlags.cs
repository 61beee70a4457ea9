using System.CommandLine;

namespace Lineage.Operator.Hosting;

/// <summary>The operator's flags on a System.CommandLine command (the run, and local mode, which shares most of them).</summary>
public sealed class OperatorFlags
{
    public static readonly string[] Names =
    [
        "kubeconfig", "namespace", "workers", "resync-seconds", "leader-elect", "lease-name", "lease-namespace", "identity", "metrics-address",
        "default-storage", "default-storage-secret", "default-storage-endpoint", "allowed-images",
        "allow-file-storage",
    ];

    static readonly Dictionary<string, string> Help = new()
    {
        ["kubeconfig"] = "kubeconfig file (env KUBECONFIG; default in-cluster, else ~/.kube/config)",
        ["namespace"] = "the one namespace to watch (env LINEAGE_NAMESPACE; default all)",
        ["workers"] = $"concurrent reconciles per controller (env LINEAGE_WORKERS; default {OperatorOptions.DefaultWorkers})",
        ["resync-seconds"] = "periodic full resync, 0 disables (env LINEAGE_RESYNC_SECONDS; default 600)",
        ["leader-elect"] = "true or false (env LINEAGE_LEADER_ELECT; default true)",
        ["lease-name"] = "leader-election Lease (env LINEAGE_LEASE_NAME; default lineage-operator)",
        ["lease-namespace"] = "its namespace (env LINEAGE_LEASE_NAMESPACE; default the pod's, else default)",
        ["identity"] = "this replica's name in the Lease (env POD_NAME; default host name and pid)",
        ["metrics-address"] = "where /metrics, /healthz, /readyz are served (env LINEAGE_METRICS_ADDRESS; default http://0.0.0.0:8080)",
        ["default-storage"] = "store of a Lineage whose template names none, s3://… or file://… (env LINEAGE_DEFAULT_STORAGE)",
        ["default-storage-secret"] = "Secret with that store's keys (env LINEAGE_DEFAULT_STORAGE_SECRET)",
        ["default-storage-endpoint"] = "that store's S3 endpoint (env LINEAGE_DEFAULT_STORAGE_ENDPOINT)",
        ["allow-file-storage"] = "true lets specs use file:// stores, folders the operator itself reads and deletes in (env LINEAGE_ALLOW_FILE_STORAGE; default false; local mode: true): for a test or benchmark that shares a folder with the operator, never for tenants",
        ["allowed-images"] = $"trainer images a pod may run, comma-separated, or * for any (env LINEAGE_ALLOWED_IMAGES; default {Api.V1Alpha1.Resources.DefaultImage})",
    };

    readonly Dictionary<string, Option<string?>> _values = [];
    readonly Option<bool> _allNamespaces = new("--all-namespaces") { Description = "watch every namespace (overrides LINEAGE_NAMESPACE)" };

    OperatorFlags() { }

    /// <summary>Adds the operator's flags to <paramref name="command"/>, leaving out <paramref name="except"/>.</summary>
    public static OperatorFlags AddTo(Command command, params string[] except)
    {
        var flags = new OperatorFlags();
        foreach (var name in Names.Except(except))
        {
            var option = new Option<string?>("--" + name) { Description = Help[name] };
            flags._values[name] = option;
            command.Options.Add(option);
        }
        command.Options.Add(flags._allNamespaces);
        return flags;
    }

    /// <summary>The options from the parsed flags over the environment; a bad value throws naming the flag or variable.</summary>
    public OperatorOptions Read(ParseResult parse, Func<string, string?> env, string? podNamespace) =>
        OperatorOptions.From(name => name == "all-namespaces"
            ? (parse.GetValue(_allNamespaces) ? "true" : null)
            : _values.TryGetValue(name, out var option) ? parse.GetValue(option) : null, env, podNamespace);
}
