using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Patching;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test, applied in order.</summary>
internal static class JsonPatch
{
    public static JsonNode Apply(JsonNode target, JsonNode? patch)
    {
        if (patch is not JsonArray operations) throw Invalid("a JSON patch must be an array of operations");
        var document = target.DeepClone();
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op) throw Invalid("every JSON patch operation must be an object");
            var kind = op["op"]?.GetValue<string>() ?? throw Invalid("operation without 'op'");
            var path = op["path"]?.GetValue<string>() ?? throw Invalid($"'{kind}' operation without 'path'");
            switch (kind)
            {
                case "add": document = Add(document, path, Value(op)); break;
                case "remove": Remove(document, path); break;
                case "replace": Remove(document, path); document = Add(document, path, Value(op)); break;
                case "move":
                    var moved = Get(document, From(op));
                    Remove(document, From(op));
                    document = Add(document, path, moved);
                    break;
                case "copy": document = Add(document, path, Get(document, From(op))?.DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Get(document, path), op["value"]))
                        throw Invalid($"test operation failed at '{path}'");
                    break;
                default: throw Invalid($"unknown JSON patch operation '{kind}'");
            }
        }
        return document;
    }

    private static JsonNode? Value(JsonObject op) =>
        op.ContainsKey("value") ? op["value"]?.DeepClone() : throw Invalid("operation without 'value'");

    private static string From(JsonObject op) => op["from"]?.GetValue<string>() ?? throw Invalid("operation without 'from'");

    private static string[] Segments(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw Invalid($"JSON pointer '{pointer}' must start with '/'");
        return pointer[1..].Split('/').Select(s => s.Replace("~1", "/").Replace("~0", "~")).ToArray();
    }

    private static JsonNode? Get(JsonNode document, string pointer)
    {
        JsonNode? node = document;
        foreach (var segment in Segments(pointer))
        {
            node = node switch
            {
                JsonObject o when o.ContainsKey(segment) => o[segment],
                JsonArray a when int.TryParse(segment, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Invalid($"path '{pointer}' does not exist"),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode document, string pointer)
    {
        var segments = Segments(pointer);
        var parentPointer = string.Concat(segments[..^1].Select(s => "/" + s.Replace("~", "~0").Replace("/", "~1")));
        return (Get(document, parentPointer) ?? throw Invalid($"parent of '{pointer}' is null"), segments[^1]);
    }

    private static JsonNode Add(JsonNode document, string path, JsonNode? value)
    {
        if (path.Length == 0) return value ?? throw Invalid("cannot replace the whole document with null");
        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw Invalid($"cannot add at '{path}'");
        }
        return document;
    }

    private static void Remove(JsonNode document, string path)
    {
        var (parent, last) = Parent(document, path);
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                a.RemoveAt(i);
                break;
            default:
                throw Invalid($"path '{path}' does not exist");
        }
    }

    private static ApiException Invalid(string why) => new(422, "Invalid", $"the server rejected our request due to an error in our request: {why}");
}
