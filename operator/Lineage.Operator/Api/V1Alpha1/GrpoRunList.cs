using k8s;
using k8s.Models;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>A page of GrpoRuns, as the list endpoint returns them.</summary>
public sealed class GrpoRunList : IKubernetesObject<V1ListMeta>, IItems<GrpoRun>
{
    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = "GrpoRunList";
    public V1ListMeta Metadata { get; set; } = new();
    public IList<GrpoRun> Items { get; set; } = [];
}
