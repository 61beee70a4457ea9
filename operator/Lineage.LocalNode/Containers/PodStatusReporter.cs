using System.Collections.Concurrent;
using k8s;
using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// The kubelet's writes of a pod: its status (<see cref="PodStatusBuilder"/>, nothing when unchanged) and the
/// DELETE with grace 0 that ends the graceful deletion of a terminal pod.
/// </summary>
internal sealed class PodStatusReporter(IKubernetes client, TimeProvider clock)
{
    readonly StatusWriter<V1Pod> statuses = new(new ResourceClient<V1Pod>(client));
    readonly ConcurrentDictionary<string, (string Replaced, V1Pod Written)> lastWrites = new();
    readonly ConcurrentDictionary<string, byte> finalDeletes = new();

    /// <summary>
    /// Writes the pod's status from the view. A cache that has not yet shown the previous write is read through
    /// that write's result, so consecutive writes do not conflict. Returns the pod as stored, or null when it is gone.
    /// </summary>
    public async Task<V1Pod?> WriteAsync(V1Pod pod, PodView view, CancellationToken ct)
    {
        var uid = pod.Metadata.Uid;
        var now = clock.GetUtcNow().UtcDateTime;
        now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        var basis = lastWrites.TryGetValue(uid, out var last) && last.Replaced == pod.Metadata.ResourceVersion ? last.Written : pod;
        var written = await statuses.UpdateAsync(pod.Key(), basis, p =>
        {
            if (p.Metadata.Uid != uid) return;
            p.Status = PodStatusBuilder.Build(p, view, KubeletSettings.HostIp, now);
        }, ct).ConfigureAwait(false);
        if (written is not null && written.Metadata.ResourceVersion != basis.Metadata.ResourceVersion)
            lastWrites[uid] = (basis.Metadata.ResourceVersion, written);
        return written;
    }

    /// <summary>Ends the graceful deletion of a terminal pod (DELETE with grace 0 and its uid as precondition, as the kubelet does); once per pod.</summary>
    public async Task FinalDeleteAsync(V1Pod pod, CancellationToken ct)
    {
        if (!finalDeletes.TryAdd(pod.Metadata.Uid, 0)) return;
        try
        {
            await client.CoreV1.DeleteNamespacedPodAsync(pod.Metadata.Name, pod.Metadata.NamespaceProperty,
                new V1DeleteOptions { GracePeriodSeconds = 0, Preconditions = new V1Preconditions { Uid = pod.Metadata.Uid } },
                cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (ApiErrors.IsNotFound(e) || ApiErrors.IsConflict(e))
        {
        }
    }

    /// <summary>Forgets a pod the kubelet is done with.</summary>
    public void Forget(string uid)
    {
        lastWrites.TryRemove(uid, out _);
        finalDeletes.TryRemove(uid, out _);
    }
}
