using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;
using Microsoft.AspNetCore.Http;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// The OpenAPI documents kubectl reads before it writes. <c>/openapi/v3</c> lists one document per group-version;
/// each has the kinds' paths, whose PATCH declares the <c>fieldValidation</c> parameter (kubectl ≥ 1.27 then
/// leaves validation to the server and sends <c>fieldValidation=Strict</c>), and the CRDs' schemas.
/// <c>/openapi/v2</c> is served without definitions, in JSON or (as older kubectl asks) protobuf with the
/// operations' dryRun parameter: older kubectl then finds no schema for a kind and skips client-side
/// validation, as it does for a real server's CRDs whose schemas cannot be published in v2; the server still
/// validates and prunes, and warns about unknown fields (its default fieldValidation).
/// </summary>
internal static class OpenApi
{
    // The media type kube-openapi answers with (clients ask with the older "...v2@v1.0+protobuf", which Go cannot parse as a Content-Type).
    private const string ProtobufV2 = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    public static async Task<int?> Handle(HttpContext context, string path, IReadOnlyList<ResourceType> types)
    {
        if (path == "/openapi/v2")
        {
            if (context.Request.Headers.Accept.ToString().Contains("protobuf", StringComparison.Ordinal))
            {
                var document = OpenApiV2Protobuf.Document(types, Discovery.GitVersion);
                context.Response.ContentType = ProtobufV2;
                context.Response.ContentLength = document.Length;
                await context.Response.Body.WriteAsync(document, context.RequestAborted).ConfigureAwait(false);
                return 200;
            }
            await Responses.Json(context, 200, new JsonObject
            {
                ["swagger"] = "2.0",
                ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.GitVersion },
                ["paths"] = new JsonObject(),
                ["definitions"] = new JsonObject(),
            }).ConfigureAwait(false);
            return 200;
        }
        if (path == "/openapi/v3")
        {
            var paths = new JsonObject();
            foreach (var groupVersion in types.Select(GroupVersionPath).Distinct().Order(StringComparer.Ordinal))
            {
                var document = GroupVersionDocument(groupVersion, types);
                paths[groupVersion] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{groupVersion}?hash={Hash(document)}" };
            }
            await Responses.Json(context, 200, new JsonObject { ["paths"] = paths }).ConfigureAwait(false);
            return 200;
        }
        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var groupVersion = path["/openapi/v3/".Length..];
            if (!types.Any(t => GroupVersionPath(t) == groupVersion)) return null;
            await Responses.Json(context, 200, GroupVersionDocument(groupVersion, types)).ConfigureAwait(false);
            return 200;
        }
        return null;
    }

    private static string GroupVersionPath(ResourceType type) => type.Group.Length == 0 ? $"api/{type.Version}" : $"apis/{type.Group}/{type.Version}";

    private static JsonObject GroupVersionDocument(string groupVersion, IReadOnlyList<ResourceType> types)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var type in types.Where(t => GroupVersionPath(t) == groupVersion).OrderBy(t => t.Plural, StringComparer.Ordinal))
        {
            var gvk = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
            var item = type.Namespaced ? $"/{groupVersion}/namespaces/{{namespace}}/{type.Plural}/{{name}}" : $"/{groupVersion}/{type.Plural}/{{name}}";
            paths[item] = new JsonObject
            {
                ["get"] = Operation("read", type, gvk, "get", []),
                ["put"] = Operation("replace", type, gvk, "put", WriteParameters()),
                ["patch"] = Operation("patch", type, gvk, "patch", [.. WriteParameters(), Query("force", "boolean")]),
                ["delete"] = Operation("delete", type, gvk, "delete", [Query("dryRun", "string")]),
            };
            // Built-in kinds get no schema: kubectl then computes their strategic merge patches from its own Go types.
            if (type.Schema?.DeepClone().AsObject() is not { } schema) continue;
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            schemas[SchemaName(type)] = schema;
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = Discovery.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(string verb, ResourceType type, JsonObject gvk, string action, JsonObject[] parameters)
    {
        var ok = new JsonObject { ["description"] = "OK" };
        if (type.Schema is not null)
            ok["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{SchemaName(type)}" } } };
        return new JsonObject
        {
            ["operationId"] = $"{verb}{type.Kind}",
            ["parameters"] = new JsonArray(parameters.Select(p => (JsonNode)p).ToArray()),
            ["responses"] = new JsonObject { ["200"] = ok },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
    }

    private static JsonObject[] WriteParameters() =>
        [Query("dryRun", "string"), Query("fieldManager", "string"), Query("fieldValidation", "string")];

    private static JsonObject Query(string name, string type) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = type, ["uniqueItems"] = true },
    };

    /// <summary>kube-apiserver's schema names: the reversed group, then version and kind (io.k8s.api.core.v1.Secret for the core group).</summary>
    private static string SchemaName(ResourceType type)
    {
        var group = type.Group.Length == 0 ? "io.k8s.api.core" : string.Join('.', type.Group.Split('.').Reverse());
        return $"{group}.{type.Version}.{type.Kind}";
    }

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
}
