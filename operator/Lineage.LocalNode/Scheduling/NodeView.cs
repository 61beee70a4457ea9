namespace Lineage.LocalNode.Scheduling;

/// <summary>The node as the scheduler sees it: its name, labels (for nodeSelector) and allocatable resources.</summary>
public sealed record NodeView(string Name, IReadOnlyDictionary<string, string> Labels, ResourceList Allocatable);
