namespace Lineage.Operator.Runtime;

/// <summary>A controller as declared, before the host runs it.</summary>
internal sealed class ControllerRegistration(string name, WorkQueue queue, Func<ObjectKey, CancellationToken, Task<ReconcileResult>> reconcile, int workers)
{
    public string Name => name;
    public WorkQueue Queue => queue;
    public Func<ObjectKey, CancellationToken, Task<ReconcileResult>> Reconcile => reconcile;
    public int Workers { get; set; } = workers;

    /// <summary>Which changes of the primary kind queue its key (current, previous or null); all by default.</summary>
    public Func<k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>, k8s.IKubernetesObject<k8s.Models.V1ObjectMeta>?, bool> PrimaryFilter { get; set; } = (_, _) => true;
}
