using k8s;
using k8s.Models;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A page of Lineages, as the list endpoint returns them.</summary>
public sealed class LineageResourceList : IKubernetesObject<V1ListMeta>, IItems<LineageResource>
{
    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = "LineageList";
    public V1ListMeta Metadata { get; set; } = new();
    public IList<LineageResource> Items { get; set; } = [];
}
