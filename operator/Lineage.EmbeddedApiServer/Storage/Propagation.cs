namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// Owner-reference cascade. Foreground is served as Background (dependents are deleted right away,
/// honouring their finalizers); Orphan removes the owner's reference from its dependents.
/// </summary>
internal enum Propagation { Background, Foreground, Orphan }
