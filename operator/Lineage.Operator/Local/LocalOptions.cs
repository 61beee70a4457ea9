using Lineage.Operator.Hosting;

namespace Lineage.Operator.Local;

/// <summary>How `local` runs: its data folder, what to apply, the node's size, the trainer, and how to report.</summary>
public sealed record LocalOptions
{
    public string DataDirectory { get; init; } = "";
    public IReadOnlyList<string> Apply { get; init; } = [];
    public int Port { get; init; }
    public string? Trainer { get; init; }
    public double? Cpus { get; init; }
    public string? Store { get; init; }
    public bool Json { get; init; }
    public bool ExitWhenDone { get; init; }
    public string MetricsAddress { get; init; } = "http://127.0.0.1:0";
    public OperatorOptions Operator { get; init; } = new();

    public string DatabaseFile => Path.Combine(DataDirectory, "cluster.db");
    public string KubeconfigFile => Path.Combine(DataDirectory, "kubeconfig");
    public string CrdDirectory => Path.Combine(DataDirectory, "crds");
    public string NodeDirectory => Path.Combine(DataDirectory, "node");
    public string LogDirectory => Path.Combine(DataDirectory, "logs");
    public string StoreUri => Store ?? new Uri(Path.Combine(DataDirectory, "store") + "/").AbsoluteUri.TrimEnd('/');

    /// <summary>$XDG_DATA_HOME/lineage, else ~/.local/share/lineage.</summary>
    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "lineage")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "lineage");

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port: {Port} is not a TCP port");
        if (Cpus is <= 0) throw new ArgumentException($"--cpus: {Cpus} must be positive");
        if (Store is { } s && !System.Text.RegularExpressions.Regex.IsMatch(s, Api.V1Alpha1.Patterns.StoreUri))
            throw new ArgumentException($"--store: '{s}' is not a store URI (file:///path or s3://bucket/prefix)");
        foreach (var path in Apply)
            if (!File.Exists(path) && !Directory.Exists(path)) throw new ArgumentException($"--apply: '{path}' does not exist");
        if (Trainer is { } t && !File.Exists(t)) throw new ArgumentException($"--trainer: '{t}' does not exist");
        if (!Uri.TryCreate(MetricsAddress, UriKind.Absolute, out var uri) || uri.Scheme != "http")
            throw new ArgumentException($"--metrics-address: '{MetricsAddress}' is not an http:// address");
    }
}
