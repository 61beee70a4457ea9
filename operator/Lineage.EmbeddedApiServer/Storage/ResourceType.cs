namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>A kind the server serves: where it lives in URL space and which rules apply to it.</summary>
/// <param name="Group">API group, empty for the core group.</param>
/// <param name="Version">The served version, e.g. <c>v1</c>.</param>
/// <param name="Plural">The resource name in URLs, e.g. <c>jobs</c>.</param>
/// <param name="Kind">The object kind, e.g. <c>Job</c>.</param>
/// <param name="Namespaced">Namespaced or cluster-scoped.</param>
/// <param name="HasStatus">Whether <c>/status</c> is a subresource (then the main resource ignores status).</param>
/// <param name="IsCustom">Registered by a CustomResourceDefinition (updates then need a resourceVersion).</param>
/// <param name="ReturnsObjectOnDelete">Whether DELETE answers with the object rather than a Status (pods, services, custom resources).</param>
/// <param name="Schema">The CRD version's openAPIV3Schema: pruning, defaults and validation on every write.</param>
/// <param name="ShortNames">Short names for discovery (kubectl get cm).</param>
/// <param name="PrinterColumns">The CRD version's additionalPrinterColumns, for kubectl's table view.</param>
/// <param name="SelectableFields">The CRD version's selectableFields as field labels (<c>status.phase</c>); null for
/// built-in kinds, whose field selectors take any dotted path here.</param>
internal sealed record ResourceType(
    string Group,
    string Version,
    string Plural,
    string Kind,
    bool Namespaced,
    bool HasStatus,
    bool IsCustom = false,
    bool ReturnsObjectOnDelete = false,
    System.Text.Json.Nodes.JsonObject? Schema = null,
    IReadOnlyList<string>? ShortNames = null,
    System.Text.Json.Nodes.JsonArray? PrinterColumns = null,
    IReadOnlyList<string>? SelectableFields = null)
{
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Key of the object collection shared by all versions, e.g. <c>generations.lineage.dev</c>.</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : $"{Plural}.{Group}";

    public string ListKind => Kind + "List";
}
