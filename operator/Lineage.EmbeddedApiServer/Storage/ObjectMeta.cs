using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>Reading and writing <c>metadata</c> fields on raw JSON objects.</summary>
internal static class ObjectMeta
{
    public static JsonObject Of(JsonObject obj) => obj["metadata"] as JsonObject ?? new JsonObject();

    public static JsonObject Ensure(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta) return meta;
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? String(JsonObject meta, string field) =>
        meta[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>An integer field, whether it was parsed from JSON or set by the server.</summary>
    public static long? Long(JsonObject meta, string field) =>
        meta[field] is JsonValue value && long.TryParse(value.ToJsonString(), out var number) ? number : null;

    public static IReadOnlyDictionary<string, string> StringMap(JsonObject meta, string field)
    {
        if (meta[field] is not JsonObject map) return new Dictionary<string, string>();
        var result = new Dictionary<string, string>();
        foreach (var (key, value) in map)
            if (value is JsonValue v && v.TryGetValue<string>(out var text)) result[key] = text;
        return result;
    }

    public static IReadOnlyList<string> StringList(JsonObject meta, string field) =>
        meta[field] is JsonArray list ? list.Select(item => item is JsonValue v && v.TryGetValue<string>(out var text) ? text : null).OfType<string>().ToList() : [];

    /// <summary>Kubernetes timestamps: RFC 3339, UTC, whole seconds.</summary>
    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
}
