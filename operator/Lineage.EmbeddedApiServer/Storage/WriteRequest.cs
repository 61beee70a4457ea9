namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// What a write asks for besides its body: <c>dryRun=All</c>, the field manager recorded in <c>managedFields</c>,
/// and what to do with fields the schema does not know (<c>fieldValidation</c>). Warnings collected while
/// serving it go back to the client as <c>Warning</c> headers.
/// </summary>
internal sealed class WriteRequest
{
    /// <summary>Writes the server makes itself (garbage collection, namespace cleanup, CRD install at start).</summary>
    public static WriteRequest Server(string manager = "lineage-embedded-apiserver") => new() { FieldManager = manager, Validation = FieldValidation.Ignore };

    public bool DryRun { get; init; }
    public string FieldManager { get; init; } = "unknown";
    public FieldValidation Validation { get; init; } = FieldValidation.Warn;
    public List<string> Warnings { get; } = [];
}

/// <summary>The <c>fieldValidation</c> query parameter; Warn is kube-apiserver's default since 1.23.</summary>
internal enum FieldValidation { Ignore, Warn, Strict }
