using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Cel;

/// <summary>
/// A JSON value as CEL sees it under a structural schema, as Kubernetes binds <c>self</c>: objects and maps
/// are maps with string keys, arrays are lists, <c>integer</c> fields are int, <c>number</c> fields are double.
/// </summary>
internal static class CelValues
{
    public static object? Of(JsonNode? node, JsonObject? schema)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
                var properties = schema?["properties"] as JsonObject;
                var additional = schema?["additionalProperties"] as JsonObject;
                var map = new Dictionary<string, object?>(obj.Count, StringComparer.Ordinal);
                foreach (var (key, value) in obj) map[key] = Of(value, properties?[key] as JsonObject ?? additional);
                return map;
            case JsonArray array:
                var items = schema?["items"] as JsonObject;
                return array.Select(item => Of(item, items)).ToList();
            case JsonValue value:
                return value.GetValueKind() switch
                {
                    JsonValueKind.String => value.GetValue<string>(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Number => Number(value.ToJsonString(), schema?["type"]?.GetValue<string>()),
                    _ => null,
                };
            default:
                return null;
        }
    }

    private static object Number(string text, string? type)
    {
        if (type != "number" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return integer;
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}
