using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// Drops fields a structural schema does not declare, as kube-apiserver does for custom resources
/// (unless <c>x-kubernetes-preserve-unknown-fields</c>), and names each one (<c>spec.training.foo</c>) for
/// <c>fieldValidation</c>: Strict refuses them, Warn reports them, Ignore only drops them. A value equal to its
/// <c>prior</c> (given only when the stored object was pruned by this same schema) has nothing to drop.
/// </summary>
internal static class SchemaPruning
{
    public static void Prune(JsonNode? node, JsonObject? schema, string path, List<string> unknown, Prior prior = default)
    {
        if (schema is null || Schema.PreservesUnknownFields(schema) || prior.Unchanged(node)) return;
        switch (node)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                var additional = schema["additionalProperties"];
                foreach (var (key, value) in obj.ToList())
                {
                    var field = path.Length == 0 ? key : $"{path}.{key}";
                    if (properties?[key] is JsonObject propertySchema) Prune(value, propertySchema, field, unknown, prior.Property(key));
                    else if (additional is JsonObject valueSchema) Prune(value, valueSchema, field, unknown, prior.Property(key));
                    else if (additional is JsonValue allowed && allowed.GetValueKind() == System.Text.Json.JsonValueKind.True) continue;
                    else
                    {
                        obj.Remove(key);
                        unknown.Add(field);
                    }
                }
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++) Prune(array[i], itemSchema, $"{path}[{i}]", unknown, prior.Item(schema, array[i]));
                break;
        }
    }
}
