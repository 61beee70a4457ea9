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
    Func<string, string, IReadOnlyList<Generation>> generationsBy,
    Func<string, string, IReadOnlyList<GrpoRun>> grpoRunsBy,
    Func<string, string, IReadOnlyList<Distillation>> distillationsBy,
    CreationExpectations? expectations = null)
{
    readonly CreationExpectations _expectations = expectations ?? new();

    // Index names and values: "which objects point at X" is answered from indexes the informers keep, never by a scan
    // of the cache (a scan per event made 1,000 Lineages quadratic).
    const string ControllerUid = "controller-uid";
    const string Parent = "parent";
    const string InputGeneration = "input-generation";

    /// <summary>This operator created the object and the cache has not received it yet: do not create it again.</summary>
    public bool Creating<T>(ObjectKey key) => _expectations.Pending(KindInfo.Of<T>(), key);

    /// <summary>Records a successful create, so reconciles before the cache has it do not repeat it.</summary>
    public void Created<T>(ObjectKey key) => _expectations.Created(KindInfo.Of<T>(), key);

    public LineageResource? Lineage(ObjectKey key) => lineages(key);
    public Generation? Generation(ObjectKey key) => generations(key);

    /// <summary>The Generations a Lineage controls (by owner uid), in no particular order.</summary>
    public IReadOnlyList<Generation> GenerationsOf(LineageResource lineage) => generationsBy(ControllerUid, lineage.Metadata.Uid ?? "");

    /// <summary>The Generations whose spec.parent names this one (its children), for waking them when it changes.</summary>
    public IReadOnlyList<Generation> ChildrenOf(Generation parent) => generationsBy(Parent, NameIn(parent.Metadata.NamespaceProperty, parent.Metadata.Name));

    /// <summary>Standalone GrpoRuns whose policy is this Generation.</summary>
    public IReadOnlyList<GrpoRun> GrpoRunsUsing(Generation generation) => grpoRunsBy(InputGeneration, NameIn(generation.Metadata.NamespaceProperty, generation.Metadata.Name));

    /// <summary>Standalone Distillations whose teacher is this Generation.</summary>
    public IReadOnlyList<Distillation> DistillationsUsing(Generation generation) =>
        distillationsBy(InputGeneration, NameIn(generation.Metadata.NamespaceProperty, generation.Metadata.Name));
    public GrpoRun? GrpoRun(ObjectKey key) => grpoRuns(key);
    public Distillation? Distillation(ObjectKey key) => distillations(key);
    public V1Job? Job(ObjectKey key) => jobs(key);

    /// <summary>The cache over the host's informers; adds the indexes it reads, so call it once, before the host starts.</summary>
    public static ClusterCache Of(ControllerHost host)
    {
        var generations = host.InformerFor<Generation>();
        var grpoRuns = host.InformerFor<GrpoRun>();
        var distillations = host.InformerFor<Distillation>();
        generations.AddIndex(ControllerUid, g => g.Metadata.OwnerReferences?.Where(r => r.Controller == true && r.Uid is not null).Select(r => r.Uid) ?? []);
        generations.AddIndex(Parent, g => g.Spec?.Parent is { } p ? [NameIn(g.Metadata.NamespaceProperty, p)] : []);
        grpoRuns.AddIndex(InputGeneration, r => r.Spec?.Policy?.Generation is { } g ? [NameIn(r.Metadata.NamespaceProperty, g)] : []);
        distillations.AddIndex(InputGeneration, r => r.Spec?.Teacher?.Generation is { } g ? [NameIn(r.Metadata.NamespaceProperty, g)] : []);
        return new(generations.Get, grpoRuns.Get, distillations.Get, host.InformerFor<V1Job>().Get, host.InformerFor<LineageResource>().Get,
            generations.ByIndex, grpoRuns.ByIndex, distillations.ByIndex, host.Expectations);
    }

    static string NameIn(string? ns, string name) => $"{ns}/{name}";

    /// <summary>A deep copy of a cached object, for a controller that changes it and writes it back.</summary>
    public static T? Writable<T>(T? cached) where T : class => cached is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(cached));
}
