namespace Lineage.LocalNode.Jobs;

/// <summary>Timings of the Job controller.</summary>
public sealed record JobControllerOptions
{
    /// <summary>Delay before the first replacement of a failed pod, doubling per further failure. Default 10 s (kube-controller-manager's).</summary>
    public TimeSpan PodFailureBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest delay before replacing a failed pod. Default 10 minutes.</summary>
    public TimeSpan MaxPodFailureBackoff { get; init; } = TimeSpan.FromMinutes(10);
}
