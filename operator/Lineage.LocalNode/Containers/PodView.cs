using Lineage.LocalNode.Processes;

namespace Lineage.LocalNode.Containers;

/// <summary>What the kubelet knows about a pod's one container: waiting (with why), running since, or ended how.</summary>
public sealed record ContainerView(string Name, string Image)
{
    public string? WaitingReason { get; init; }
    public string? WaitingMessage { get; init; }
    public DateTime? StartedAt { get; init; }
    public int? Pid { get; init; }
    public ContainerExit? Exit { get; init; }
}

/// <summary>
/// The kubelet's view of a pod, from which its status is built (<see cref="PodStatusBuilder"/>): when the kubelet
/// took it on, its container, and a pod-level reason and message when the pod ended for a reason of the node's
/// (it restarted, or the pod did not fit).
/// </summary>
public sealed record PodView(DateTime StartTime, ContainerView? Container)
{
    public string? Reason { get; init; }
    public string? Message { get; init; }
    /// <summary>The kubelet refused the pod (admission); it fails without running.</summary>
    public bool Rejected { get; init; }
}
