using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>Maps an owned object (a Job, a child resource) to the key of the object that controls it.</summary>
public static class OwnerMapping
{
    /// <summary>
    /// The key of the owner reference with <c>controller: true</c> whose kind and apiVersion are
    /// <paramref name="owner"/>'s; null when the object has no such controller.
    /// </summary>
    public static ObjectKey? ControllerOf(IKubernetesObject<V1ObjectMeta> obj, KindInfo owner)
    {
        var refs = obj.Metadata?.OwnerReferences;
        if (refs is null) return null;
        foreach (var r in refs)
        {
            if (r.Controller == true && r.Kind == owner.Kind && r.ApiVersion == owner.ApiVersion && !string.IsNullOrEmpty(r.Name))
                return new ObjectKey(obj.Metadata!.NamespaceProperty ?? "", r.Name);
        }
        return null;
    }

    /// <summary>Whether <paramref name="owner"/> is the controller of <paramref name="child"/> (matched by uid).</summary>
    public static bool IsControlledBy(V1ObjectMeta child, IKubernetesObject<V1ObjectMeta> owner) =>
        child.OwnerReferences?.Any(r => r.Uid == owner.Metadata.Uid && r.Controller == true) == true;

    /// <summary>
    /// An owner reference that makes <paramref name="owner"/> the controller of a child (for cascade deletion and watches).
    /// An object read from a list has no apiVersion and kind of its own; its type's <c>[KubernetesEntity]</c> gives them.
    /// </summary>
    public static V1OwnerReference ControllerReference(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = string.IsNullOrEmpty(owner.ApiVersion) ? KindInfo.Of(owner.GetType()).ApiVersion : owner.ApiVersion,
        Kind = string.IsNullOrEmpty(owner.Kind) ? KindInfo.Of(owner.GetType()).Kind : owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };
}
