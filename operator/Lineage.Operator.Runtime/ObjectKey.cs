namespace Lineage.Operator.Runtime;

/// <summary>What the work queue holds: a namespaced name, never the object itself (it may be stale).</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public override string ToString() => $"{Namespace}/{Name}";
}
