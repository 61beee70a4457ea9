using System.Globalization;
using Lineage.Operator.Decisions;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Hosting;

/// <summary>
/// How <c>lineage-operator</c> runs, from flags (first) and environment variables (second), with defaults.
/// <list type="bullet">
/// <item><c>--kubeconfig PATH</c> / <c>KUBECONFIG</c>: a kubeconfig file; absent: in-cluster config, else ~/.kube/config.</item>
/// <item><c>--namespace NS</c> / <c>LINEAGE_NAMESPACE</c>: the one namespace to watch; absent or <c>--all-namespaces</c>: all.</item>
/// <item><c>--workers N</c> / <c>LINEAGE_WORKERS</c>: concurrent reconciles per controller (default 16:
///   reconciles wait on the API server and the store, and at 1,000 Lineages 16 cost less CPU per Generation than 4,
///   docs/benchmarks/operator.md).</item>
/// <item><c>--resync-seconds S</c> / <c>LINEAGE_RESYNC_SECONDS</c>: periodic full resync (default 600; 0 disables).</item>
/// <item><c>--leader-elect true|false</c> / <c>LINEAGE_LEADER_ELECT</c>: default true.</item>
/// <item><c>--lease-name</c>, <c>--lease-namespace</c> / <c>LINEAGE_LEASE_NAME</c>, <c>LINEAGE_LEASE_NAMESPACE</c>
///   (default lineage-operator, and the pod's namespace in a cluster, else "default").</item>
/// <item><c>--identity</c> / <c>POD_NAME</c>: this replica's name in the lease (default host name and pid).</item>
/// <item><c>--metrics-address URL</c> / <c>LINEAGE_METRICS_ADDRESS</c>: where /metrics, /healthz and /readyz are served (default http://0.0.0.0:8080).</item>
/// <item><c>--default-storage URI</c> / <c>LINEAGE_DEFAULT_STORAGE</c>, with <c>--default-storage-secret</c> / <c>LINEAGE_DEFAULT_STORAGE_SECRET</c>
///   and <c>--default-storage-endpoint</c> / <c>LINEAGE_DEFAULT_STORAGE_ENDPOINT</c>: the store of a Lineage whose template names none.</item>
/// <item><c>--allowed-images A,B</c> / <c>LINEAGE_ALLOWED_IMAGES</c>: the trainer images a pod may run (default the built-in
///   trainer image; <c>*</c> allows any).</item>
/// <item><c>--allow-file-storage true</c> / <c>LINEAGE_ALLOW_FILE_STORAGE</c>: file:// stores (default false; local mode sets it;
///   a test or benchmark sharing a folder with the operator may; tenants never should). See <see cref="TenantPolicy"/>.</item>
/// </list>
/// </summary>
public sealed record OperatorOptions
{
    public string? Kubeconfig { get; init; }
    public string? Namespace { get; init; }
    public int Workers { get; init; } = DefaultWorkers;

    /// <summary>Concurrent reconciles per controller unless <c>--workers</c> or <c>LINEAGE_WORKERS</c> says otherwise.</summary>
    public const int DefaultWorkers = 16;
    public TimeSpan ResyncPeriod { get; init; } = TimeSpan.FromMinutes(10);
    public bool LeaderElect { get; init; } = true;
    public string LeaseName { get; init; } = "lineage-operator";
    public string LeaseNamespace { get; init; } = "default";
    public string Identity { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";
    public string MetricsAddress { get; init; } = "http://0.0.0.0:8080";
    /// <summary>The store a Lineage uses when its template names none (null: such a Lineage fails with NoStorage).</summary>
    public Api.V1Alpha1.StorageSpec? DefaultStorage { get; init; }
    /// <summary>The guard rails on what tenants' specs may run (images, file:// stores); local mode allows file:// stores.</summary>
    public TenantPolicy Tenants { get; init; } = new();

    const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>The name the operator's writes carry (managedFields' manager) and its User-Agent's product.</summary>
    public const string FieldManager = "lineage-operator";

    public ControllerHostOptions ToHostOptions() => new()
    {
        FieldManager = FieldManager,
        Namespace = Namespace,
        Workers = Workers,
        ResyncPeriod = ResyncPeriod,
        LeaderElection = new LeaderElectionOptions
        {
            Enabled = LeaderElect,
            LeaseName = LeaseName,
            LeaseNamespace = LeaseNamespace,
            Identity = Identity,
        },
    };

    public static OperatorOptions FromEnvironment(string[] args) => Parse(args, Environment.GetEnvironmentVariable, PodNamespace());

    /// <summary>The namespace of the pod the operator runs in, from its service account; null outside a cluster.</summary>
    public static string? PodNamespace() =>
        File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : null;

    /// <summary>Parses flags over environment variables; a bad value throws an error naming the flag or variable.</summary>
    public static OperatorOptions Parse(string[] args, Func<string, string?> env, string? podNamespace = null)
    {
        var command = new System.CommandLine.RootCommand();
        var flags = OperatorFlags.AddTo(command);
        var parsed = command.Parse(args);
        if (parsed.Errors.Count > 0) throw new ArgumentException(string.Join("; ", parsed.Errors.Select(e => e.Message)));
        return flags.Read(parsed, env, podNamespace).ForCluster();
    }

    /// <summary>
    /// The options of the operator against a cluster: a file:// default store is refused at start unless file:// stores are
    /// allowed (otherwise every Lineage that names no store would fail later with InvalidSpec, one by one).
    /// </summary>
    public OperatorOptions ForCluster()
    {
        if (DefaultStorage is { } store && Tenants.StorageProblem(store) is not null)
            throw new ArgumentException(
                $"--default-storage (LINEAGE_DEFAULT_STORAGE): '{store.Uri}' is a file:// store, which only local mode allows (in a cluster it would be a folder of the operator's own container); use s3://, or set --allow-file-storage true for a test that shares that folder with the operator");
        return this;
    }

    /// <summary>Builds the options from flag values (null when absent) over environment variables.</summary>
    internal static OperatorOptions From(Func<string, string?> flag, Func<string, string?> env, string? podNamespace)
    {
        string? Get(string name, string variable) => flag(name) ?? (env(variable) is { Length: > 0 } e ? e : null);
        string Source(string name, string variable) => flag(name) is not null ? "--" + name : variable;

        var options = new OperatorOptions { LeaseNamespace = podNamespace ?? "default" };
        options = options with
        {
            Kubeconfig = Get("kubeconfig", "KUBECONFIG"),
            Namespace = flag("all-namespaces") is "true" ? null : Get("namespace", "LINEAGE_NAMESPACE"),
            Workers = Get("workers", "LINEAGE_WORKERS") is { } w ? PositiveInt(w, Source("workers", "LINEAGE_WORKERS")) : options.Workers,
            ResyncPeriod = Get("resync-seconds", "LINEAGE_RESYNC_SECONDS") is { } r
                ? TimeSpan.FromSeconds(NonNegativeInt(r, Source("resync-seconds", "LINEAGE_RESYNC_SECONDS"))) : options.ResyncPeriod,
            LeaderElect = Get("leader-elect", "LINEAGE_LEADER_ELECT") is { } l ? Bool(l, Source("leader-elect", "LINEAGE_LEADER_ELECT")) : options.LeaderElect,
            LeaseName = Get("lease-name", "LINEAGE_LEASE_NAME") ?? options.LeaseName,
            LeaseNamespace = Get("lease-namespace", "LINEAGE_LEASE_NAMESPACE") ?? options.LeaseNamespace,
            Identity = Get("identity", "POD_NAME") ?? options.Identity,
            MetricsAddress = Get("metrics-address", "LINEAGE_METRICS_ADDRESS") ?? options.MetricsAddress,
            DefaultStorage = Get("default-storage", "LINEAGE_DEFAULT_STORAGE") is { } store
                ? new Api.V1Alpha1.StorageSpec
                {
                    Uri = StoreUri(store, Source("default-storage", "LINEAGE_DEFAULT_STORAGE")),
                    SecretName = Get("default-storage-secret", "LINEAGE_DEFAULT_STORAGE_SECRET"),
                    Endpoint = Get("default-storage-endpoint", "LINEAGE_DEFAULT_STORAGE_ENDPOINT"),
                }
                : null,
            Tenants = new TenantPolicy
            {
                AllowedImages = Get("allowed-images", "LINEAGE_ALLOWED_IMAGES") is { } images
                    ? Images(images, Source("allowed-images", "LINEAGE_ALLOWED_IMAGES")) : options.Tenants.AllowedImages,
                AllowFileStorage = Get("allow-file-storage", "LINEAGE_ALLOW_FILE_STORAGE") is { } file
                    && Bool(file, Source("allow-file-storage", "LINEAGE_ALLOW_FILE_STORAGE")),
            },
        };
        if (!Uri.TryCreate(options.MetricsAddress, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            throw new ArgumentException($"{Source("metrics-address", "LINEAGE_METRICS_ADDRESS")}: '{options.MetricsAddress}' is not an http:// address like http://0.0.0.0:8080");
        return options;
    }

    static string StoreUri(string value, string source) =>
        System.Text.RegularExpressions.Regex.IsMatch(value, Api.V1Alpha1.Patterns.StoreUri)
            ? value : throw new ArgumentException($"{source}: '{value}' is not a store URI (s3://bucket/prefix or file:///path)");

    static IReadOnlyList<string> Images(string value, string source)
    {
        var images = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return images.Length > 0 ? images : throw new ArgumentException($"{source}: '{value}' names no image (comma-separated references, or * for any)");
    }

    static int PositiveInt(string value, string source) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n : throw new ArgumentException($"{source}: '{value}' is not a positive whole number");

    static int NonNegativeInt(string value, string source) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n : throw new ArgumentException($"{source}: '{value}' is not a whole number of seconds");

    static bool Bool(string value, string source) => value.ToLowerInvariant() switch
    {
        "true" or "1" or "yes" => true,
        "false" or "0" or "no" => false,
        _ => throw new ArgumentException($"{source}: '{value}' is not true or false"),
    };
}
