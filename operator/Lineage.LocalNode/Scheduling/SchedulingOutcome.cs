using k8s.Models;

namespace Lineage.LocalNode.Scheduling;

/// <summary>What the scheduler decided for one pending pod: bind it to the node, or leave it Pending with the scheduler's message.</summary>
public sealed record SchedulingOutcome(V1Pod Pod, bool Bind, string? Message)
{
    public static SchedulingOutcome Bound(V1Pod pod) => new(pod, true, null);
    public static SchedulingOutcome Unschedulable(V1Pod pod, string message) => new(pod, false, message);
}
