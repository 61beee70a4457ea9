using k8s;
using k8s.Models;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A page of Distillations, as the list endpoint returns them.</summary>
public sealed class DistillationList : IKubernetesObject<V1ListMeta>, IItems<Distillation>
{
    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = "DistillationList";
    public V1ListMeta Metadata { get; set; } = new();
    public IList<Distillation> Items { get; set; } = [];
}
