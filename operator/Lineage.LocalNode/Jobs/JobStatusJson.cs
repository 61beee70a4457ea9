using k8s;
using k8s.Models;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// A Job status in the form the API server stores it (Go's omitempty: zero counters and empty lists are absent),
/// so a status read back compares equal to the one written and an unchanged sync writes nothing.
/// </summary>
public static class JobStatusJson
{
    public static V1JobStatus Canonical(V1JobStatus? status)
    {
        var copy = status is null ? new V1JobStatus() : KubernetesJson.Deserialize<V1JobStatus>(KubernetesJson.Serialize(status));
        if (copy.Active == 0) copy.Active = null;
        if (copy.Succeeded == 0) copy.Succeeded = null;
        if (copy.Failed == 0) copy.Failed = null;
        if (copy.Conditions is { Count: 0 }) copy.Conditions = null;
        if (copy.UncountedTerminatedPods is { } u)
        {
            if (u.Succeeded is { Count: 0 }) u.Succeeded = null;
            if (u.Failed is { Count: 0 }) u.Failed = null;
        }
        return copy;
    }

    public static bool Same(V1JobStatus? a, V1JobStatus? b) =>
        KubernetesJson.Serialize(Canonical(a)) == KubernetesJson.Serialize(Canonical(b));
}
