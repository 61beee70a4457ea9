namespace Lineage.KubeApiServer.Storage;

/// <summary>What a DELETE asks for: how dependents are treated, and optional preconditions.</summary>
internal sealed record DeleteOptions(Propagation Propagation, string? PreconditionUid = null, string? PreconditionResourceVersion = null)
{
    public static readonly DeleteOptions Background = new(Propagation.Background);
}

/// <summary>
/// Owner-reference cascade. Foreground is served as Background (dependents are deleted right away,
/// honouring their finalizers); Orphan removes the owner's reference from its dependents.
/// </summary>
internal enum Propagation { Background, Foreground, Orphan }
