using System.Net;
using k8s;
using k8s.Models;
using Lineage.LocalNode.Pods;
using Lineage.Operator.Runtime;

namespace Lineage.LocalNode.Jobs;

/// <summary>
/// Removes one finalizer from pods with a JSON patch that first tests the list entry (so a concurrent change of
/// the list fails the patch instead of removing the wrong entry); any API server serves it the same way.
/// </summary>
public sealed class PodFinalizers(IKubernetes client)
{
    const int Attempts = 3;
    readonly ResourceClient<V1Pod> pods = new(client);

    /// <summary>Releases the finalizer from each pod; returns the uids it is now gone from (pods already deleted count) and the first error.</summary>
    public async Task<(HashSet<string> Released, Exception? Error)> ReleaseAsync(IEnumerable<V1Pod> targets, string finalizer, CancellationToken ct)
    {
        var released = new HashSet<string>();
        Exception? error = null;
        foreach (var target in targets)
        {
            try
            {
                if (await ReleaseAsync(target, finalizer, ct).ConfigureAwait(false)) released.Add(PodFacts.Uid(target));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                error ??= e;
            }
        }
        return (released, error);
    }

    async Task<bool> ReleaseAsync(V1Pod pod, string finalizer, CancellationToken ct)
    {
        var current = pod;
        for (var attempt = 1; ; attempt++)
        {
            if (current is null || PodFacts.Uid(current) != PodFacts.Uid(pod)) return true;
            var index = current.Metadata.Finalizers?.IndexOf(finalizer) ?? -1;
            if (index < 0) return true;
            var patch = new object[]
            {
                new { op = "test", path = $"/metadata/finalizers/{index}", value = finalizer },
                new { op = "remove", path = $"/metadata/finalizers/{index}" },
            };
            try
            {
                await client.CoreV1.PatchNamespacedPodAsync(new V1Patch(patch, V1Patch.PatchType.JsonPatch),
                    current.Metadata.Name, current.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                return true;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                return true;
            }
            catch (Exception e) when (attempt < Attempts && ApiErrors.StatusOf(e) is HttpStatusCode.UnprocessableEntity or HttpStatusCode.Conflict)
            {
                current = await pods.GetAsync(pod.Key(), ct).ConfigureAwait(false);
            }
        }
    }
}
