using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>Decides whether an object's change is worth a reconcile of that object.</summary>
public static class ChangeFilters
{
    /// <summary>
    /// False only when the new version differs from the previous one in status (or other fields outside spec
    /// and metadata that do not bump <c>metadata.generation</c>) alone: same generation, labels, annotations,
    /// finalizers, owner references and deletion timestamp. A null previous version (new object, deletion,
    /// resync) always passes.
    /// </summary>
    public static bool SpecOrMetadataChanged(IKubernetesObject<V1ObjectMeta> current, IKubernetesObject<V1ObjectMeta>? previous)
    {
        if (previous is null) return true;
        var a = current.Metadata;
        var b = previous.Metadata;
        if (a is null || b is null) return true;
        return a.Generation != b.Generation
            || a.DeletionTimestamp != b.DeletionTimestamp
            || !SameJson(a.Labels, b.Labels)
            || !SameJson(a.Annotations, b.Annotations)
            || !SameJson(a.Finalizers, b.Finalizers)
            || !SameJson(a.OwnerReferences, b.OwnerReferences);
    }

    static bool SameJson(object? x, object? y) => Json(x) == Json(y);

    // An empty list or map and an absent one mean the same to the API server.
    static string Json(object? value) =>
        value is null or System.Collections.ICollection { Count: 0 } ? "null" : KubernetesJson.Serialize(value);
}
