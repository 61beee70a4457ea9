using k8s;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// One controller's logic for its primary kind. The runtime calls it with a key, never concurrently for the
/// same key; the reconciler fetches the object itself (gone: return Done). Throwing requeues with backoff.
/// </summary>
public interface IReconciler<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    Task<ReconcileResult> ReconcileAsync(ObjectKey key, CancellationToken ct);
}
