using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// Fills in <c>default</c> values of absent fields, recursively into objects, maps and list items,
/// as kube-apiserver does on every write of a custom resource. A null where null is not allowed
/// counts as absent. A value equal to its <c>prior</c> (given only when the stored object was defaulted by
/// this same schema) has its defaults already.
/// </summary>
internal static class SchemaDefaults
{
    public static void Apply(JsonNode? node, JsonObject schema, Prior prior = default)
    {
        if (prior.Unchanged(node)) return;
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
                        if (obj[key] is { } child) Apply(child, property, prior.Property(key));
                    }
                }
                if (schema["additionalProperties"] is JsonObject valueSchema)
                    foreach (var (key, value) in obj.ToList()) Apply(value, valueSchema, prior.Property(key));
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                foreach (var item in array) Apply(item, itemSchema, prior.Item(schema, item));
                break;
        }
    }

}
