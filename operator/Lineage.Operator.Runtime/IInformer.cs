namespace Lineage.Operator.Runtime;

/// <summary>The kind-independent face of an informer, for the host that starts them and reports readiness.</summary>
public interface IInformer
{
    KindInfo Kind { get; }
    bool HasSynced { get; }
    Task WhenSynced { get; }
    Task RunAsync(CancellationToken ct);
}
