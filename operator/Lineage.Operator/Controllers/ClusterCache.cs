using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>
/// What the controllers read from the host's informer caches instead of the API server. A cache applies events in
/// resourceVersion order and every change to one of these objects wakes the controller that reads it, so a stale read
/// is always followed by a reconcile that sees the newer object; a write based on a stale read meets a 409 and is
/// retried. The objects returned are the cached ones: read them, never modify them; a controller that writes its
/// object back takes a <see cref="Writable{T}"/> copy.
/// </summary>
public sealed class ClusterCache(
    Func<ObjectKey, Generation?> generations,
    Func<ObjectKey, GrpoRun?> grpoRuns,
    Func<ObjectKey, Distillation?> distillations,
    Func<ObjectKey, V1Job?> jobs,
    Func<ObjectKey, LineageResource?> lineages,
    Func<IEnumerable<Generation>> allGenerations,
    CreationExpectations? expectations = null)
{
    readonly CreationExpectations _expectations = expectations ?? new();

    /// <summary>This operator created the object and the cache has not received it yet: do not create it again.</summary>
    public bool Creating<T>(ObjectKey key) => _expectations.Pending(KindInfo.Of<T>(), key);

    /// <summary>Records a successful create, so reconciles before the cache has it do not repeat it.</summary>
    public void Created<T>(ObjectKey key) => _expectations.Created(KindInfo.Of<T>(), key);

    public LineageResource? Lineage(ObjectKey key) => lineages(key);
    public Generation? Generation(ObjectKey key) => generations(key);

    /// <summary>The Generations a Lineage controls (by owner uid), in no particular order.</summary>
    public IReadOnlyList<Generation> GenerationsOf(LineageResource lineage) => allGenerations()
        .Where(g => g.Metadata.NamespaceProperty == lineage.Metadata.NamespaceProperty && OwnerMapping.IsControlledBy(g.Metadata, lineage))
        .ToList();
    public GrpoRun? GrpoRun(ObjectKey key) => grpoRuns(key);
    public Distillation? Distillation(ObjectKey key) => distillations(key);
    public V1Job? Job(ObjectKey key) => jobs(key);

    public static ClusterCache Of(ControllerHost host) => new(host.InformerFor<Generation>().Get, host.InformerFor<GrpoRun>().Get,
        host.InformerFor<Distillation>().Get, host.InformerFor<V1Job>().Get, host.InformerFor<LineageResource>().Get, host.InformerFor<Generation>().List,
        host.Expectations);

    /// <summary>A deep copy of a cached object, for a controller that changes it and writes it back.</summary>
    public static T? Writable<T>(T? cached) where T : class => cached is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(cached));
}
