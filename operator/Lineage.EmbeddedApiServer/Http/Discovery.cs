using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>The non-resource URLs: version, health, and enough discovery for kubectl-like clients.</summary>
internal static class Discovery
{
    /// <summary>The Kubernetes version whose behaviour the server follows.</summary>
    public const string GitVersion = "v1.36.0-lineage";

    public static async Task<int> Handle(HttpContext context, ObjectStore store)
    {
        var path = (context.Request.Path.Value ?? "/").TrimEnd('/');
        var types = store.ServedTypes();
        if (path.StartsWith("/openapi/", StringComparison.Ordinal))
            return await OpenApi.Handle(context, path, types).ConfigureAwait(false) ?? throw ApiException.UnknownResource(path);
        JsonNode? body = path switch
        {
            "/version" => new JsonObject
            {
                ["major"] = "1", ["minor"] = "36", ["gitVersion"] = GitVersion, ["gitCommit"] = "", ["gitTreeState"] = "clean",
                ["buildDate"] = "2026-01-01T00:00:00Z", ["goVersion"] = "", ["compiler"] = "dotnet", ["platform"] = "linux/amd64",
            },
            "/healthz" or "/livez" or "/readyz" => null,
            "/api" => new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1") },
            "/apis" => Groups(types),
            _ => ResourceList(path, types),
        };
        if (path is "/healthz" or "/livez" or "/readyz")
        {
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("ok").ConfigureAwait(false);
            return 200;
        }
        if (body is null) throw ApiException.UnknownResource(path);
        await Responses.Json(context, 200, body).ConfigureAwait(false);
        return 200;
    }

    private static JsonObject Groups(IReadOnlyList<ResourceType> types)
    {
        var groups = new JsonArray();
        foreach (var group in types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group).OrderBy(g => g.Key))
        {
            var versions = new JsonArray(group.Select(t => t.Version).Distinct()
                .Select(v => (JsonNode)new JsonObject { ["groupVersion"] = $"{group.Key}/{v}", ["version"] = v }).ToArray());
            groups.Add(new JsonObject
            {
                ["name"] = group.Key,
                ["versions"] = versions,
                ["preferredVersion"] = versions[0]!.DeepClone(),
            });
        }
        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static JsonObject? ResourceList(string path, IReadOnlyList<ResourceType> types)
    {
        var parts = ResourcePath.GroupVersion(path);
        if (parts is not { Tail.Length: 0 } p) return null;
        var served = types.Where(t => t.Group == p.Group && t.Version == p.Version).ToList();
        if (served.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var type in served.OrderBy(t => t.Plural))
        {
            resources.Add(new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Kind.ToLowerInvariant(),
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
                ["shortNames"] = new JsonArray((type.ShortNames ?? []).Select(n => (JsonNode)n).ToArray()),
            });
            if (type == BuiltInResources.Pods)
                resources.Add(new JsonObject
                {
                    ["name"] = "pods/log", ["singularName"] = "", ["namespaced"] = true, ["kind"] = "Pod", ["verbs"] = new JsonArray("get"),
                });
            if (type.HasStatus)
                resources.Add(new JsonObject
                {
                    ["name"] = type.Plural + "/status", ["singularName"] = "", ["namespaced"] = type.Namespaced,
                    ["kind"] = type.Kind, ["verbs"] = new JsonArray("get", "patch", "update"),
                });
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList", ["apiVersion"] = "v1",
            ["groupVersion"] = p.Group.Length == 0 ? p.Version : $"{p.Group}/{p.Version}",
            ["resources"] = resources,
        };
    }
}
