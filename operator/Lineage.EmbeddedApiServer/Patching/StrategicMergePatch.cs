using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Patching;

/// <summary>
/// Strategic merge patch for the built-in kinds, as kubectl's client-side apply sends it: a JSON merge patch
/// in which the lists the Kubernetes types declare as merge lists are merged by their key (containers, env,
/// volumes, ports, conditions, owner references...) or, for primitive merge lists (finalizers), as sets; with
/// the directives <c>$patch</c> (replace, delete, merge), <c>$retainKeys</c>, <c>$deleteFromPrimitiveList/…</c>
/// and <c>$setElementOrder/…</c>. Lists not in the table are replaced, as their Go types say.
/// </summary>
internal static class StrategicMergePatch
{
    /// <summary>Merge lists by field name and their merge key; a null key marks a list of primitives merged as a set.</summary>
    private static readonly Dictionary<string, string?> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["ports"] = "containerPort",
        ["imagePullSecrets"] = "name",
        ["hostAliases"] = "ip",
        ["conditions"] = "type",
        ["ownerReferences"] = "uid",
        ["finalizers"] = null,
        ["topologySpreadConstraints"] = "topologyKey",
        ["resourceClaims"] = "name",
    };

    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject) return patch?.DeepClone();
        return MergeObject(target as JsonObject, patchObject);
    }

    private static JsonObject? MergeObject(JsonObject? target, JsonObject patch)
    {
        var directive = patch["$patch"]?.GetValue<string>();
        if (directive == "delete") return null;
        if (directive == "replace")
        {
            var replacement = patch.DeepClone().AsObject();
            replacement.Remove("$patch");
            return replacement;
        }
        if (directive is not (null or "merge")) throw Invalid($"unknown patch directive \"{directive}\"");

        var result = target?.DeepClone().AsObject() ?? new JsonObject();
        if (patch["$retainKeys"] is JsonArray retain)
        {
            var keep = retain.Select(k => k?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var key in result.Select(kv => kv.Key).Where(k => !keep.Contains(k)).ToList()) result.Remove(key);
        }
        foreach (var (key, value) in patch)
        {
            if (key is "$patch" or "$retainKeys" || key.StartsWith("$setElementOrder/", StringComparison.Ordinal)) continue;
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var list = key["$deleteFromPrimitiveList/".Length..];
                if (result[list] is JsonArray items && value is JsonArray doomed)
                    foreach (var item in items.Where(i => doomed.Any(d => JsonNode.DeepEquals(d, i))).ToList()) items.Remove(item);
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            result[key] = value switch
            {
                JsonObject child => MergeObject(result[key] as JsonObject, child),
                JsonArray list when MergeKeys.TryGetValue(key, out var mergeKey) && result[key] is JsonArray current => MergeList(current, list, mergeKey),
                _ => value.DeepClone(),
            };
            if (result[key] is null && value is JsonObject) result.Remove(key);
        }
        return result;
    }

    private static JsonArray MergeList(JsonArray current, JsonArray patch, string? mergeKey)
    {
        if (patch.OfType<JsonObject>().Any(i => i["$patch"]?.GetValue<string>() == "replace"))
            return new JsonArray(patch.Where(i => i?["$patch"] is null).Select(i => i?.DeepClone()).ToArray());
        var result = current.DeepClone().AsArray();
        if (mergeKey is null)
        {
            foreach (var item in patch)
                if (!result.Any(r => JsonNode.DeepEquals(r, item))) result.Add(item?.DeepClone());
            return result;
        }
        foreach (var item in patch.OfType<JsonObject>())
        {
            var key = item[mergeKey];
            var existing = result.OfType<JsonObject>().FirstOrDefault(r => JsonNode.DeepEquals(r[mergeKey], key));
            if (item["$patch"]?.GetValue<string>() == "delete")
            {
                if (existing is not null) result.Remove(existing);
                continue;
            }
            if (existing is null)
            {
                result.Add(MergeObject(null, item));
                continue;
            }
            var index = result.IndexOf(existing);
            result[index] = MergeObject(existing, item);
        }
        return result;
    }

    private static ApiException Invalid(string why) => new(422, "Invalid", $"the server rejected our request due to an error in our request: {why}");
}
