namespace Lineage.EmbeddedApiServer;

/// <summary>One request the server answered, in Kubernetes terms.</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete or deletecollection (or "other").</param>
/// <param name="Resource">The plural, e.g. <c>jobs</c>; empty for non-resource URLs.</param>
/// <param name="StatusCode">The HTTP status the server answered (or was told to fail with).</param>
/// <param name="Client">The User-Agent's product (up to its first '/'), e.g. <c>lineage-operator</c>: who sent it. This server has
/// no authentication, so it is how a test tells one client's requests from its own (kube-apiserver's audit log records the same).</param>
/// <param name="Name">The object's name: from the path, or for a successful create the name it was stored under.</param>
/// <param name="UserAgent">The whole User-Agent, e.g. <c>lineage-operator/0.1.0 (replica-a-1)</c>: tells replicas of one client apart.</param>
/// <param name="Started">When the request arrived (server clock).</param>
/// <param name="Finished">When it was answered (a watch: when its stream opened).</param>
/// <param name="Fault">The fault injected into it (<c>429</c>, <c>500</c>, <c>delay</c>...), or null.</param>
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
    string Client = "",
    string UserAgent = "",
    DateTimeOffset Started = default,
    DateTimeOffset Finished = default,
    string? Fault = null)
{
    public bool IsWrite => IsWriteVerb(Verb);
    public static bool IsWriteVerb(string verb) => verb is "create" or "update" or "patch" or "delete" or "deletecollection";
    public bool Succeeded => StatusCode is >= 200 and < 300;
}
