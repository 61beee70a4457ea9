using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>The typed API clients the controllers read and write through.</summary>
public sealed record Cluster(
    IResourceClient<LineageResource> Lineages,
    IResourceClient<Generation> Generations,
    IResourceClient<GrpoRun> GrpoRuns,
    IResourceClient<Distillation> Distillations,
    IResourceClient<V1Job> Jobs,
    IResourceClient<V1Pod> Pods,
    IResourceClient<V1Secret> Secrets);
