using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// A parsed resource URL: <c>/api/v1[/namespaces/{ns}]/{plural}[/{name}[/{subresource}]]</c> or the same
/// under <c>/apis/{group}/{version}</c>.
/// </summary>
internal sealed record ResourcePath(ResourceType Type, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>Group and version of a URL, with what follows them; null if it is not an API URL.</summary>
    public static (string Group, string Version, string[] Tail)? GroupVersion(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToArray();
        if (segments.Length >= 2 && segments[0] == "api") return ("", segments[1], segments[2..]);
        if (segments.Length >= 3 && segments[0] == "apis") return (segments[1], segments[2], segments[3..]);
        return null;
    }

    public static ResourcePath? Parse(string group, string version, string[] rest, Func<string, string, string, ResourceType?> find)
    {
        string? ns = null;
        if (rest.Length >= 3 && rest[0] == "namespaces" && rest[2] is not ("status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }
        if (rest.Length is 0 or > 3) return null;
        var type = find(group, version, rest[0]);
        if (type is null) return null;
        if (ns is not null && !type.Namespaced) return null;
        // A cluster-wide URL of a namespaced kind only lists and watches across namespaces.
        if (ns is null && type.Namespaced && rest.Length > 1) return null;
        return new ResourcePath(type, ns, rest.Length > 1 ? rest[1] : null, rest.Length > 2 ? rest[2] : null);
    }

    public bool IsStatus => Subresource == "status";
}
