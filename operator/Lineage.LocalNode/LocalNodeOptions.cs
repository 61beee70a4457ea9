using System.Text.RegularExpressions;

namespace Lineage.LocalNode;

/// <summary>How the local node is set up. Only <see cref="DataDirectory"/> has no default.</summary>
public sealed partial record LocalNodeOptions
{
    /// <summary>The node's name (a DNS-1123 label): pods are bound to it (<c>spec.nodeName</c>). Default "local".</summary>
    public string NodeName { get; init; } = "local";

    /// <summary>Where pods' folders (volumes, home, tmp) and process records live. Required; a node's restart must get the same one.</summary>
    public string DataDirectory { get; init; } = "";

    /// <summary>Where container logs go (<c>&lt;dir&gt;/&lt;namespace&gt;/&lt;pod&gt;/&lt;container&gt;.log</c>). Default <c>&lt;DataDirectory&gt;/logs</c>.</summary>
    public string? PodLogDirectory { get; init; }

    /// <summary>CPU cores the node offers to pods' requests. Default: the machine's processors.</summary>
    public double Cpus { get; init; } = System.Environment.ProcessorCount;

    /// <summary>Memory in bytes the node offers to pods' requests. Default: the machine's memory.</summary>
    public long MemoryBytes { get; init; } = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary><c>nvidia.com/gpu</c> the node offers. Default 0: a pod that requests one stays Pending, Unschedulable.</summary>
    public int Gpus { get; init; }

    /// <summary>Pods the node holds at once (the kubelet's maxPods). Default 110.</summary>
    public int MaxPods { get; init; } = 110;

    /// <summary>
    /// Image → the local command that is its entrypoint, e.g. <c>{ "*": ["dotnet", "/opt/lineage/lineage-trainer.dll"] }</c>;
    /// matched by exact name, then name without tag, then <c>*</c>. A container's <c>command</c> replaces it; its
    /// <c>args</c> follow. A pod whose image matches nothing stays Pending (ErrImagePull).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Images { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>
    /// Variables every container starts with (as an image's ENV), before what the kubelet and the pod set.
    /// Default: this process's PATH, DOTNET_ROOT, LANG and TZ, where set. Nothing else of the node's environment reaches a container.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = DefaultEnvironment();

    /// <summary>Labels of the node besides kubernetes.io/hostname, os and arch (for pods' nodeSelector).</summary>
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Delay before a Job replaces its first failed pod, doubling per failure. Default 10 s (kube-controller-manager's).</summary>
    public TimeSpan PodFailureBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest delay before a Job replaces a failed pod. Default 10 minutes.</summary>
    public TimeSpan MaxPodFailureBackoff { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Kill a container (OOMKilled) whose processes' resident memory exceeds its memory limit. Default true.</summary>
    public bool EnforceMemoryLimits { get; init; } = true;

    /// <summary>When the node stops (or finds leftovers after a restart), containers get SIGTERM and at most this long before SIGKILL. Default 10 s.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the Node object's status (its Ready heartbeat) is refreshed. Default 5 minutes.</summary>
    public TimeSpan NodeStatusInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Concurrent reconciles of the Job controller and of the kubelet. Default 4.</summary>
    public int Workers { get; init; } = 4;

    public string EffectivePodLogDirectory => string.IsNullOrEmpty(PodLogDirectory) ? Path.Combine(DataDirectory, "logs") : PodLogDirectory;

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDirectory)) throw new ArgumentException("LocalNodeOptions.DataDirectory is required", nameof(DataDirectory));
        if (!Path.IsPathRooted(DataDirectory)) throw new ArgumentException($"LocalNodeOptions.DataDirectory must be an absolute path (got '{DataDirectory}')", nameof(DataDirectory));
        if (PodLogDirectory is { Length: > 0 } logs && !Path.IsPathRooted(logs))
            throw new ArgumentException($"LocalNodeOptions.PodLogDirectory must be an absolute path (got '{logs}')", nameof(PodLogDirectory));
        if (!DnsLabel().IsMatch(NodeName)) throw new ArgumentException($"LocalNodeOptions.NodeName must be a DNS-1123 label (got '{NodeName}')", nameof(NodeName));
        if (!(Cpus > 0)) throw new ArgumentException($"LocalNodeOptions.Cpus must be positive (got {Cpus})", nameof(Cpus));
        if (MemoryBytes <= 0) throw new ArgumentException($"LocalNodeOptions.MemoryBytes must be positive (got {MemoryBytes})", nameof(MemoryBytes));
        if (Gpus < 0) throw new ArgumentException($"LocalNodeOptions.Gpus must not be negative (got {Gpus})", nameof(Gpus));
        if (MaxPods < 1) throw new ArgumentException($"LocalNodeOptions.MaxPods must be at least 1 (got {MaxPods})", nameof(MaxPods));
        if (Workers < 1) throw new ArgumentException($"LocalNodeOptions.Workers must be at least 1 (got {Workers})", nameof(Workers));
        if (PodFailureBackoff <= TimeSpan.Zero || MaxPodFailureBackoff < PodFailureBackoff)
            throw new ArgumentException("LocalNodeOptions.PodFailureBackoff must be positive and at most MaxPodFailureBackoff", nameof(PodFailureBackoff));
        if (ShutdownGrace < TimeSpan.Zero) throw new ArgumentException("LocalNodeOptions.ShutdownGrace must not be negative", nameof(ShutdownGrace));
        if (NodeStatusInterval < TimeSpan.FromSeconds(1)) throw new ArgumentException("LocalNodeOptions.NodeStatusInterval must be at least 1 s", nameof(NodeStatusInterval));
        foreach (var (image, command) in Images)
            if (command is null) throw new ArgumentException($"LocalNodeOptions.Images[\"{image}\"] must be a list (empty when containers give their own command)", nameof(Images));
    }

    static Dictionary<string, string> DefaultEnvironment()
    {
        var env = new Dictionary<string, string>();
        foreach (var name in (string[])["PATH", "DOTNET_ROOT", "LANG", "TZ"])
            if (System.Environment.GetEnvironmentVariable(name) is { Length: > 0 } value) env[name] = value;
        env.TryAdd("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        return env;
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
