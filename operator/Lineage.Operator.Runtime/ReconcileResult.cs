namespace Lineage.Operator.Runtime;

/// <summary>An expected outcome of a reconcile. Exceptions mean "retry with backoff"; this means "all is well".</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    public static readonly ReconcileResult Done = new((TimeSpan?)null);
    public static ReconcileResult After(TimeSpan delay) => new(delay);
}
