namespace Lineage.EmbeddedApiServer;

/// <summary>One request the server answered, in Kubernetes terms.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete or deletecollection (or "other").</param>
/// <param name="Resource">The plural, e.g. <c>jobs</c>; empty for non-resource URLs.</param>
/// <param name="StatusCode">The HTTP status the server answered (or was told to fail with).</param>
/// <param name="Client">The User-Agent's product (up to its first '/'), e.g. <c>lineage-operator</c>: who sent it. This server has
/// no authentication, so it is how a test tells one client's requests from its own (kube-apiserver's audit log records the same).</param>
public sealed record RequestRecord(
    string Verb,
    string Method,
    string Path,
    string Group,
    string Resource,
    string? Subresource,
    string? Namespace,
    string? Name,
    int StatusCode,
    string Client = "")
{
    public bool IsWrite => IsWriteVerb(Verb);
    public static bool IsWriteVerb(string verb) => verb is "create" or "update" or "patch" or "delete" or "deletecollection";
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
