using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Fields;

/// <summary>
/// Sets of fields in kube-apiserver's <c>FieldsV1</c> form: <c>{"f:spec":{"f:replicas":{}}}</c>. An empty object is
/// a field owned whole; lists of objects keyed by <c>name</c>, <c>type</c> or <c>uid</c> are entered per item as
/// <c>k:{"name":"x"}</c> (with <c>"."</c> for the item itself); any other list is atomic.
/// </summary>
internal static class FieldSet
{
    private static readonly string[] ListKeys = ["name", "type", "uid"];

    /// <summary>Every field of a value.</summary>
    public static JsonObject Of(JsonNode? node)
    {
        var set = new JsonObject();
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj) set["f:" + key] = Of(value);
                break;
            case JsonArray array when KeyOf(array) is { } listKey:
                foreach (var item in array.OfType<JsonObject>())
                {
                    var entry = Of(item);
                    entry["."] = new JsonObject();
                    set[ItemKey(item, listKey)] = entry;
                }
                break;
        }
        return set;
    }

    /// <summary>The fields of <paramref name="after"/> that are new or differ from <paramref name="before"/>.</summary>
    public static JsonObject Changed(JsonNode? before, JsonNode? after)
    {
        var set = new JsonObject();
        switch (after)
        {
            case JsonObject obj when before is JsonObject old:
                foreach (var (key, value) in obj)
                {
                    if (!old.TryGetPropertyValue(key, out var previous)) set["f:" + key] = Of(value);
                    else if (!JsonNode.DeepEquals(previous, value)) set["f:" + key] = Changed(previous, value);
                }
                break;
            case JsonArray array when before is JsonArray old && KeyOf(array) is { } listKey && KeyOf(old) == listKey:
                var oldItems = old.OfType<JsonObject>().GroupBy(i => ItemKey(i, listKey)).ToDictionary(g => g.Key, g => g.First());
                foreach (var item in array.OfType<JsonObject>())
                {
                    var key = ItemKey(item, listKey);
                    if (!oldItems.TryGetValue(key, out var previous))
                    {
                        var entry = Of(item);
                        entry["."] = new JsonObject();
                        set[key] = entry;
                    }
                    else if (!JsonNode.DeepEquals(previous, item)) set[key] = Changed(previous, item);
                }
                break;
        }
        return set;
    }

    public static JsonObject Union(JsonObject a, JsonObject b)
    {
        var result = a.DeepClone().AsObject();
        foreach (var (key, value) in b)
        {
            var add = (JsonObject)value!;
            result[key] = result[key] is JsonObject mine ? Union(mine, add) : add.DeepClone();
        }
        return result;
    }

    /// <summary><paramref name="a"/> without the fields of <paramref name="b"/> (a field owned whole in b takes its children with it).</summary>
    public static JsonObject Subtract(JsonObject a, JsonObject b)
    {
        var result = new JsonObject();
        foreach (var (key, value) in a)
        {
            var mine = (JsonObject)value!;
            if (b[key] is not JsonObject theirs)
            {
                result[key] = mine.DeepClone();
                continue;
            }
            if (theirs.Count == 0 || mine.Count == 0) continue;
            var rest = Subtract(mine, theirs);
            if (rest.Count > 0) result[key] = rest;
        }
        return result;
    }

    /// <summary>
    /// Only the fields of <paramref name="set"/> that <paramref name="node"/> still has. Walks the set and looks each
    /// field up in the node, rather than building the node's whole field set (the last item of a keyed list with a
    /// repeated key counts, as in <see cref="Of"/>).
    /// </summary>
    public static JsonObject Restrict(JsonObject set, JsonNode? node)
    {
        var result = new JsonObject();
        string? listKey = null;
        var listKeyKnown = false;
        foreach (var (key, value) in set)
        {
            if (key == ".")
            {
                result["."] = new JsonObject();
                continue;
            }
            JsonNode? present = null;
            var found = false;
            if (key.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject obj)
                found = obj.TryGetPropertyValue(key[2..], out present);
            else if (key.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray array)
            {
                if (!listKeyKnown)
                {
                    listKey = KeyOf(array);
                    listKeyKnown = true;
                }
                if (listKey is not null)
                    foreach (var item in array.OfType<JsonObject>())
                        if (ItemKey(item, listKey) == key)
                        {
                            present = item;
                            found = true;
                        }
            }
            if (!found) continue;
            var mine = (JsonObject)value!;
            if (mine.Count == 0)
            {
                result[key] = new JsonObject();
                continue;
            }
            var rest = Restrict(mine, present);
            if (rest.Count > 0) result[key] = rest;
        }
        return result;
    }

    /// <summary>Removes from an object the fields a set names (a keyed list item with <c>"."</c> goes whole).</summary>
    public static void RemoveFrom(JsonNode? node, JsonObject set)
    {
        foreach (var (key, value) in set)
        {
            var child = (JsonObject)value!;
            if (key.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject obj && obj.ContainsKey(key[2..]))
            {
                if (child.Count == 0) obj.Remove(key[2..]);
                else RemoveFrom(obj[key[2..]], child);
            }
            else if (key.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray array && KeyOf(array) is { } listKey
                     && array.OfType<JsonObject>().FirstOrDefault(i => ItemKey(i, listKey) == key) is { } item)
            {
                if (child.ContainsKey(".")) array.Remove(item);
                else RemoveFrom(item, child);
            }
        }
    }

    private static string? KeyOf(JsonArray array) =>
        array.Count > 0 && array.All(i => i is JsonObject) ? ListKeys.FirstOrDefault(k => array.All(i => i![k] is JsonValue)) : null;

    private static string ItemKey(JsonObject item, string listKey) =>
        $"k:{{\"{listKey}\":{item[listKey]!.ToJsonString()}}}";
}
