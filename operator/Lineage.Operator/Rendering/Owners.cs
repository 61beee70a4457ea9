using k8s;
using k8s.Models;

namespace Lineage.Operator.Rendering;

/// <summary>Owner references: children are garbage-collected with their owner and watched back to it.</summary>
public static class Owners
{
    public static V1OwnerReference ControllerOf(IKubernetesObject<V1ObjectMeta> owner) => new()
    {
        ApiVersion = owner.ApiVersion,
        Kind = owner.Kind,
        Name = owner.Metadata.Name,
        Uid = owner.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    public static bool IsOwnedBy(V1ObjectMeta child, IKubernetesObject<V1ObjectMeta> owner) =>
        child.OwnerReferences?.Any(r => r.Uid == owner.Metadata.Uid && r.Controller == true) == true;
}
