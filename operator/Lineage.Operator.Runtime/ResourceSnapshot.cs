namespace Lineage.Operator.Runtime;

/// <summary>A full list of one kind and the resourceVersion a watch continues from.</summary>
public sealed record ResourceSnapshot<T>(IReadOnlyList<T> Items, string ResourceVersion);
