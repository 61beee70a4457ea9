using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

public static class ObjectKeyExtensions
{
    /// <summary>The work-queue key of an object: its namespace and name.</summary>
    public static ObjectKey Key(this IKubernetesObject<V1ObjectMeta> obj) =>
        new(obj.Metadata?.NamespaceProperty ?? "", obj.Metadata?.Name ?? "");
}
