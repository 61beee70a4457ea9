using k8s.Models;

namespace Lineage.LocalNode.Pods;

/// <summary>What controllers read off a pod, with the meanings kube-controller-manager gives them.</summary>
public static class PodFacts
{
    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is PodPhases.Succeeded or PodPhases.Failed;

    public static bool IsSucceeded(V1Pod pod) => pod.Status?.Phase == PodPhases.Succeeded;

    /// <summary>Counts towards a controller's active pods: not terminal and not being deleted (controller.FilterActivePods).</summary>
    public static bool IsActive(V1Pod pod) => !IsTerminal(pod) && pod.Metadata?.DeletionTimestamp is null;

    /// <summary>Being deleted but not yet terminal (controller.CountTerminatingPods).</summary>
    public static bool IsTerminating(V1Pod pod) => pod.Metadata?.DeletionTimestamp is not null && !IsTerminal(pod);

    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    public static bool HasFinalizer(V1Pod pod, string finalizer) => pod.Metadata?.Finalizers?.Contains(finalizer) == true;

    public static string Uid(V1Pod pod) => pod.Metadata?.Uid ?? "";

    /// <summary>When the pod finished: its newest container finish time, else its deletion time, else its creation time.</summary>
    public static DateTime FinishedAt(V1Pod pod)
    {
        var finished = (pod.Status?.ContainerStatuses ?? [])
            .Select(s => s.State?.Terminated?.FinishedAt ?? s.LastState?.Terminated?.FinishedAt)
            .Where(t => t is not null)
            .Select(t => t!.Value)
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
        if (finished != DateTime.MinValue) return finished;
        return pod.Metadata?.DeletionTimestamp ?? pod.Metadata?.CreationTimestamp ?? DateTime.MinValue;
    }

    /// <summary>The pod's controller owner reference (controller: true), if any.</summary>
    public static V1OwnerReference? ControllerOf(V1Pod pod) => pod.Metadata?.OwnerReferences?.FirstOrDefault(r => r.Controller == true);
}
