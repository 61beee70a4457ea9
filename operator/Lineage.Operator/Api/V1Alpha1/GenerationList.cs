using k8s;
using k8s.Models;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A page of Generations, as the list endpoint returns them.</summary>
public sealed class GenerationList : IKubernetesObject<V1ListMeta>, IItems<Generation>
{
    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = "GenerationList";
    public V1ListMeta Metadata { get; set; } = new();
    public IList<Generation> Items { get; set; } = [];
}
