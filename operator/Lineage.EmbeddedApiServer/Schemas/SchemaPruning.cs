using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// Drops fields a structural schema does not declare, as kube-apiserver does for custom resources
/// (unless <c>x-kubernetes-preserve-unknown-fields</c>), so a field the CRD forgot is lost here too.
/// </summary>
internal static class SchemaPruning
{
    public static void Prune(JsonNode? node, JsonObject? schema)
    {
        if (schema is null || Schema.PreservesUnknownFields(schema)) return;
        switch (node)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                foreach (var (key, value) in obj.ToList())
                {
                    if (properties?[key] is JsonObject propertySchema) Prune(value, propertySchema);
                    else if (additional is JsonObject valueSchema) Prune(value, valueSchema);
                    else if (additional is JsonValue allowed && allowed.GetValueKind() == System.Text.Json.JsonValueKind.True) continue;
                    else obj.Remove(key);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array) Prune(item, itemSchema);
                break;
        }
    }
}
