using k8s.Models;

namespace Lineage.LocalNode.Scheduling;

/// <summary>
/// kube-scheduler for a one-node cluster: pending pods in priority, then creation order, each bound when its
/// requests fit beside what running pods hold; otherwise left Pending with the scheduler's message, e.g.
/// <c>0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.</c>
/// A pod that can never fit (more than the node has, a resource it lacks, a nodeSelector it does not match)
/// gets "Preemption is not helpful for scheduling". Pure.
/// </summary>
public static class SchedulingDecision
{
    public const string NoVictims = "No preemption victims found for incoming pod";
    public const string NotHelpful = "Preemption is not helpful for scheduling";
    public const string SelectorMismatch = "node(s) didn't match Pod's node affinity/selector";
    /// <summary>Requests that do not constrain placement here (the node's disk is not accounted).</summary>
    static readonly string[] Unaccounted = ["ephemeral-storage"];

    public static IReadOnlyList<SchedulingOutcome> Decide(NodeView node, ResourceList inUse, IEnumerable<V1Pod> pending)
    {
        var outcomes = new List<SchedulingOutcome>();
        var used = inUse;
        foreach (var pod in pending
            .OrderByDescending(p => p.Spec?.Priority ?? 0)
            .ThenBy(p => p.Metadata?.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(p => p.Metadata?.Name, StringComparer.Ordinal))
        {
            var requests = Requests(pod);
            var (reasons, resolvable) = Misfits(node, used, pod, requests);
            if (reasons.Count == 0)
            {
                used = used.Plus(requests);
                outcomes.Add(SchedulingOutcome.Bound(pod));
            }
            else outcomes.Add(SchedulingOutcome.Unschedulable(pod, Message(reasons, resolvable)));
        }
        return outcomes;
    }

    /// <summary>What a pod holds on the node once bound: its requests and one of the node's pod slots.</summary>
    public static ResourceList Requests(V1Pod pod) =>
        ResourceList.RequestsOf(pod).Plus(new ResourceList([new(ResourceList.Pods, 1)]));

    static (List<string> Reasons, bool Resolvable) Misfits(NodeView node, ResourceList used, V1Pod pod, ResourceList requests)
    {
        var reasons = new List<string>();
        var resolvable = true;
        foreach (var (key, value) in pod.Spec?.NodeSelector ?? new Dictionary<string, string>())
        {
            if (node.Labels.TryGetValue(key, out var actual) && actual == value) continue;
            reasons.Add(SelectorMismatch);
            resolvable = false;
            break;
        }
        foreach (var name in requests.Names)
        {
            var want = requests[name];
            if (want <= 0 || Unaccounted.Contains(name)) continue;
            var have = node.Allocatable[name];
            if (want > have) resolvable = false;
            else if (want + used[name] <= have) continue;
            reasons.Add(name == ResourceList.Pods ? "Too many pods" : $"Insufficient {name}");
        }
        return (reasons, resolvable);
    }

    static string Message(IEnumerable<string> reasons, bool resolvable) =>
        $"0/1 nodes are available: {string.Join(", ", reasons.Select(r => $"1 {r}").Order(StringComparer.Ordinal))}. " +
        $"preemption: 0/1 nodes are available: 1 {(resolvable ? NoVictims : NotHelpful)}.";
}
