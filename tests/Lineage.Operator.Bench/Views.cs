using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Bench;

// What the bench's own informers read of the objects they watch. The bench shares the machine with the operator it
// measures, so its watches decode only that: the properties not declared here (a Generation's or Lineage's spec, most
// of a Job) are skipped by the JSON reader instead of being built into objects. Each view names its kind as the full
// type does, so a ResourceClient of it addresses the same resource.

/// <summary>An object of one of the operator's kinds as the bench reads it: its name and status (how far the operator brought it).</summary>
public abstract class StatusView<TStatus>(string kind) : IKubernetesObject<V1ObjectMeta> where TStatus : class
{
    public string ApiVersion { get; set; } = Group.ApiVersion;
    public string Kind { get; set; } = kind;
    public V1ObjectMeta Metadata { get; set; } = new();
    public TStatus? Status { get; set; }
}

[KubernetesEntity(Group = Group.Name, ApiVersion = Group.Version, Kind = Generation.KindName, PluralName = Generation.Plural)]
public sealed class GenerationView() : StatusView<Generation.GenerationStatus>(Generation.KindName);

[KubernetesEntity(Group = Group.Name, ApiVersion = Group.Version, Kind = LineageResource.KindName, PluralName = LineageResource.Plural)]
public sealed class LineageView() : StatusView<LineageResource.LineageStatus>(LineageResource.KindName);

/// <summary>A Job as the Job player reads it: its name, its pod template's metadata (the trainer config annotation) and its status.</summary>
[KubernetesEntity(Group = "batch", ApiVersion = "v1", Kind = "Job", PluralName = "jobs")]
public sealed class JobView : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "batch/v1";
    public string Kind { get; set; } = "Job";
    public V1ObjectMeta Metadata { get; set; } = new();
    public JobViewSpec? Spec { get; set; }
    public V1JobStatus? Status { get; set; }

    public sealed class JobViewSpec
    {
        public JobViewTemplate? Template { get; set; }
    }

    public sealed class JobViewTemplate
    {
        public V1ObjectMeta? Metadata { get; set; }
    }
}

/// <summary>The views' kinds, checked against their full types' at the start of a run.</summary>
public static class ViewKinds
{
    /// <summary>Throws unless each view addresses the resource of its full type (group, version, kind and plural).</summary>
    public static void Check()
    {
        foreach (var (view, full) in new[] { (typeof(GenerationView), typeof(Generation)), (typeof(LineageView), typeof(LineageResource)), (typeof(JobView), typeof(V1Job)) })
            if (KindInfo.Of(view) != KindInfo.Of(full))
                throw new InvalidOperationException($"{view.Name} addresses {KindInfo.Of(view)}, but {full.Name} is {KindInfo.Of(full)}");
    }
}
