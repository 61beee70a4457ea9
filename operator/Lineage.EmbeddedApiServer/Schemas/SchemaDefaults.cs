using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// Fills in <c>default</c> values of absent fields, recursively into objects, maps and list items,
/// as kube-apiserver does on every write of a custom resource. A null where null is not allowed
/// counts as absent.
/// </summary>
internal static class SchemaDefaults
{
    public static void Apply(JsonNode? node, JsonObject schema)
    {
        switch (node)
        {
            case JsonObject obj:
                if (schema["properties"] is JsonObject properties)
                {
                    foreach (var (key, propertyNode) in properties)
                    {
                        if (propertyNode is not JsonObject property) continue;
                        var present = obj.TryGetPropertyValue(key, out var value);
                        if (present && value is null && !Schema.IsTrue(property["nullable"]))
                        {
                            obj.Remove(key);
                            present = false;
                        }
                        if (!present && property["default"] is { } fallback) obj[key] = fallback.DeepClone();
                        if (obj[key] is { } child) Apply(child, property);
                    }
                }
                if (schema["additionalProperties"] is JsonObject valueSchema)
                    foreach (var (_, value) in obj.ToList()) Apply(value, valueSchema);
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array) Apply(item, itemSchema);
                break;
        }
    }

}
