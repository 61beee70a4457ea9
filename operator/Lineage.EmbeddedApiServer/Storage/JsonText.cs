using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>How the server writes JSON: compact, without escaping of '+', '&lt;' and the like.</summary>
internal static class JsonText
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] ToUtf8(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) node.WriteTo(writer);
        return buffer.ToArray();
    }

    /// <summary>
    /// Whether two objects are the same but for one property: same properties in the same order, equal values, and
    /// equal in key order too (unlike <see cref="JsonNode.DeepEquals"/>), so that one can stand for the other byte for byte.
    /// </summary>
    public static bool SameExcept(JsonObject a, JsonObject b, string? except)
    {
        using var left = a.Where(kv => kv.Key != except).GetEnumerator();
        using var right = b.Where(kv => kv.Key != except).GetEnumerator();
        while (true)
        {
            var moreLeft = left.MoveNext();
            if (moreLeft != right.MoveNext()) return false;
            if (!moreLeft) return true;
            if (left.Current.Key != right.Current.Key || !Same(left.Current.Value, right.Current.Value)) return false;
        }
    }

    private static bool Same(JsonNode? a, JsonNode? b) => (a, b) switch
    {
        (JsonObject x, JsonObject y) => x.Count == y.Count && SameExcept(x, y, except: null),
        (JsonArray x, JsonArray y) => x.Count == y.Count && Enumerable.Range(0, x.Count).All(i => Same(x[i], y[i])),
        (JsonObject or JsonArray, _) or (_, JsonObject or JsonArray) => false,
        _ => JsonNode.DeepEquals(a, b),
    };
}
