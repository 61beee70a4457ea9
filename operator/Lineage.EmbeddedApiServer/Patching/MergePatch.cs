using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Patching;

/// <summary>
/// JSON merge patch (RFC 7386): objects merge key by key, <c>null</c> deletes, anything else replaces.
/// Also used for strategic merge patches, which differ only in merging some lists by key.
/// </summary>
internal static class MergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        var result = target is JsonObject targetObject ? targetObject.DeepClone().AsObject() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null) result.Remove(key);
            else result[key] = Apply(result[key], value);
        }
        return result;
    }
}
