using k8s;
using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Controllers;

/// <summary>
/// What the controllers read from the host's informer caches instead of the API server. A cache applies events in
/// resourceVersion order and every change to one of these objects wakes the controller that reads it, so a stale read
/// is always followed by a reconcile that sees the newer object; a write based on a stale read meets a 409 and is
/// retried. Lookups return copies: the cached objects themselves are never modified.
/// </summary>
public sealed class ClusterCache(
    Func<ObjectKey, Generation?> generations,
    Func<ObjectKey, GrpoRun?> grpoRuns,
    Func<ObjectKey, Distillation?> distillations,
    Func<ObjectKey, V1Job?> jobs)
{
    /// <summary>A Generation as cached, not copied: for reading only (ancestors).</summary>
    public Generation? PeekGeneration(ObjectKey key) => generations(key);
    public Generation? Generation(ObjectKey key) => Copy(generations(key));
    public GrpoRun? GrpoRun(ObjectKey key) => Copy(grpoRuns(key));
    public Distillation? Distillation(ObjectKey key) => Copy(distillations(key));
    public V1Job? Job(ObjectKey key) => Copy(jobs(key));

    public static ClusterCache Of(ControllerHost host) => new(host.InformerFor<Generation>().Get, host.InformerFor<GrpoRun>().Get,
        host.InformerFor<Distillation>().Get, host.InformerFor<V1Job>().Get);

    static T? Copy<T>(T? obj) where T : class => obj is null ? null : KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));
}
