namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>What a DELETE asks for: how dependents are treated, and optional preconditions.</summary>
internal sealed record DeleteOptions(Propagation Propagation, string? PreconditionUid = null, string? PreconditionResourceVersion = null)
{
    public static readonly DeleteOptions Background = new(Propagation.Background);
}
