using k8s.Models;

namespace Lineage.LocalNode.Tests.ApiRules;

/// <summary>What kube-apiserver refuses in a pod status write that a kubelet could get wrong (ValidatePodStatusUpdate).</summary>
public static class PodStatusRules
{
    public static IReadOnlyList<string> Violations(V1Pod? old, V1Pod pod)
    {
        var errors = new List<string>();
        var s = pod.Status ?? new V1PodStatus();
        if (old?.Status?.Phase is "Succeeded" or "Failed" && s.Phase != old.Status.Phase)
            errors.Add($"status.phase: may not transition from {old.Status.Phase} to {s.Phase}");
        if (s.PodIPs is { Count: > 0 } podIps && podIps[0].Ip != s.PodIP) errors.Add("status.podIPs[0]: must match status.podIP");
        if (s.HostIPs is { Count: > 0 } hostIps && hostIps[0].Ip != s.HostIP) errors.Add("status.hostIPs[0]: must match status.hostIP");
        var types = (s.Conditions ?? []).Select(c => c.Type).ToList();
        if (types.Distinct().Count() != types.Count) errors.Add("status.conditions: duplicate condition type");
        foreach (var c in s.ContainerStatuses ?? [])
        {
            var states = new object?[] { c.State?.Waiting, c.State?.Running, c.State?.Terminated }.Count(x => x is not null);
            if (states != 1) errors.Add($"status.containerStatuses[{c.Name}].state: exactly one of waiting, running, terminated");
            if (old?.Status?.ContainerStatuses?.FirstOrDefault(p => p.Name == c.Name)?.State?.Terminated is not null && c.State?.Terminated is null)
                errors.Add($"status.containerStatuses[{c.Name}]: a terminated container may not be restarted (restartPolicy Never)");
        }
        return errors;
    }
}
