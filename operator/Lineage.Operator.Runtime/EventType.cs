namespace Lineage.Operator.Runtime;

/// <summary>The two event types Kubernetes knows.</summary>
public enum EventType
{
    Normal,
    Warning,
}
