using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Fields;

/// <summary>
/// <c>metadata.managedFields</c> as kube-apiserver keeps them: one entry per (manager, operation, subresource),
/// holding the fields that manager set. An Update takes the fields it changed from every other manager; an
/// Apply owns exactly the fields of the applied configuration. Conflicts between appliers are not detected.
/// </summary>
internal static class ManagedFields
{
    /// <summary>Writes the managedFields of <paramref name="after"/>, given the stored object before the write (null for a create).</summary>
    /// <remarks>
    /// The entries are taken from <paramref name="after"/>, which carries the stored ones (<see cref="Keep"/>). Field sets
    /// are computed only over the part of the object the write could change (status, or all but status); entries are
    /// restricted to the fields the object still has by walking the entries, not by a field set of the whole object;
    /// an entry with no field in the part the write could change is kept without a walk.
    /// </remarks>
    /// <param name="applied">The applied configuration of a server-side apply; null for any other write.</param>
    public static void Record(ResourceType type, JsonObject? before, JsonObject after, WriteRequest request, string? subresource, JsonObject? applied, string now)
    {
        var entries = TakeEntries(after);
        var changed = before is null ? FieldSet.Of(Tracked(type, after, subresource)) : ChangedIn(type, before, after, subresource);
        var operation = applied is null ? "Update" : "Apply";
        var owned = applied is null ? changed : FieldSet.Of(Tracked(type, applied, subresource));

        var result = new List<JsonObject>();
        JsonObject? mine = null;
        foreach (var entry in entries)
        {
            var fields = entry["fieldsV1"] as JsonObject ?? new JsonObject();
            if (IsEntryOf(entry, request.FieldManager, operation, subresource))
            {
                mine = entry;
                result.Add(entry);
                continue;
            }
            if (!ReachedBy(type, fields, subresource))
            {
                result.Add(entry);
                continue;
            }
            var rest = StillPresent(type, FieldSet.Subtract(fields, changed), after);
            if (rest.Count == 0) continue;
            if (!JsonNode.DeepEquals(rest, fields)) entry["fieldsV1"] = rest;
            result.Add(entry);
        }

        var ownedNow = applied is null && mine?["fieldsV1"] is JsonObject previous
            ? StillPresent(type, FieldSet.Union(previous, owned), after)
            : StillPresent(type, owned, after);
        if (mine is null && ownedNow.Count > 0)
        {
            mine = Entry(type, request.FieldManager, operation, subresource, now, ownedNow);
            result.Add(mine);
        }
        else if (mine is not null)
        {
            if (ownedNow.Count == 0 && applied is null) result.Remove(mine);
            else if (!JsonNode.DeepEquals(mine["fieldsV1"], ownedNow))
            {
                mine["fieldsV1"] = ownedNow;
                mine["time"] = now;
            }
        }

        var meta = ObjectMeta.Ensure(after);
        if (result.Count == 0) meta.Remove("managedFields");
        else meta["managedFields"] = new JsonArray(result.Select(e => (JsonNode)e).ToArray());
    }

    /// <summary>
    /// What a server-side apply removes: fields the manager applied last time, left out of this configuration,
    /// and owned by no other manager.
    /// </summary>
    public static JsonObject DroppedByApply(ResourceType type, JsonObject stored, string manager, JsonObject applied, string? subresource)
    {
        var entries = (ObjectMeta.Of(stored)["managedFields"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        if (entries.FirstOrDefault(e => IsEntryOf(e, manager, "Apply", subresource)) is not { } mine || mine["fieldsV1"] is not JsonObject before)
            return new JsonObject();
        var dropped = FieldSet.Subtract(before, FieldSet.Of(Tracked(type, applied, subresource)));
        foreach (var other in entries.Where(e => e != mine))
            if (other["fieldsV1"] is JsonObject theirs) dropped = FieldSet.Subtract(dropped, theirs);
        return dropped;
    }

    /// <summary>Copies the stored managedFields onto an incoming object: clients do not write them.</summary>
    public static void Keep(JsonObject? stored, JsonObject next)
    {
        var meta = ObjectMeta.Ensure(next);
        if (stored is not null && ObjectMeta.Of(stored)["managedFields"] is JsonArray entries) meta["managedFields"] = entries.DeepClone();
        else meta.Remove("managedFields");
    }

    /// <summary>The field manager of a request: <c>fieldManager</c>, else the User-Agent up to its first '/', as kube-apiserver does.</summary>
    public static string ManagerOf(string? fieldManager, string? userAgent)
    {
        if (!string.IsNullOrEmpty(fieldManager)) return fieldManager;
        var agent = (userAgent ?? "").Split('/')[0].Trim();
        if (agent.Length > 128) agent = agent[..128];
        return agent.Length == 0 ? "unknown" : agent;
    }

    /// <summary>The stored entries, detached from <paramref name="after"/> (which gets its new ones at the end).</summary>
    private static List<JsonObject> TakeEntries(JsonObject after)
    {
        if (ObjectMeta.Of(after)["managedFields"] is not JsonArray array) return [];
        var entries = array.OfType<JsonObject>().ToList();
        array.Clear();
        return entries;
    }

    /// <summary>
    /// <c>FieldSet.Changed(Tracked(before), Tracked(after))</c> without copying the tracked parts: only the tracked
    /// metadata (small) is copied.
    /// </summary>
    private static JsonObject ChangedIn(ResourceType type, JsonObject before, JsonObject after, string? subresource)
    {
        var changed = new JsonObject();
        if (subresource != "status")
        {
            var metaAfter = TrackedMetadata(after);
            if (metaAfter.Count > 0)
            {
                var metaBefore = TrackedMetadata(before);
                if (metaBefore.Count == 0) changed["f:metadata"] = FieldSet.Of(metaAfter);
                else if (!JsonNode.DeepEquals(metaBefore, metaAfter)) changed["f:metadata"] = FieldSet.Changed(metaBefore, metaAfter);
            }
        }
        foreach (var (key, value) in after)
        {
            if (!InScope(type, key, subresource)) continue;
            if (!before.TryGetPropertyValue(key, out var previous)) changed["f:" + key] = FieldSet.Of(value);
            else if (!JsonNode.DeepEquals(previous, value)) changed["f:" + key] = FieldSet.Changed(previous, value);
        }
        return changed;
    }

    /// <summary>
    /// The fields of a set that the object still has, counting only what managers can own (tracked metadata, and
    /// every other top-level field but apiVersion and kind), as if restricted to the field sets of both halves of the object.
    /// </summary>
    private static JsonObject StillPresent(ResourceType type, JsonObject set, JsonObject obj)
    {
        var result = new JsonObject();
        foreach (var (key, value) in set)
        {
            if (key == ".")
            {
                result["."] = new JsonObject();
                continue;
            }
            var fields = (JsonObject)value!;
            var name = key.StartsWith("f:", StringComparison.Ordinal) ? key[2..] : null;
            if (name is null or "apiVersion" or "kind" || !obj.TryGetPropertyValue(name, out var present)) continue;
            if (name == "metadata")
            {
                var tracked = TrackedMetadata(obj);
                if (tracked.Count == 0) continue;
                if (fields.Count == 0)
                {
                    result[key] = new JsonObject();
                    continue;
                }
                var restMeta = FieldSet.Restrict(fields, tracked);
                if (restMeta.Count > 0) result[key] = restMeta;
                continue;
            }
            if (fields.Count == 0)
            {
                result[key] = new JsonObject();
                continue;
            }
            var rest = FieldSet.Restrict(fields, present);
            if (rest.Count > 0) result[key] = rest;
        }
        return result;
    }

    /// <summary>
    /// Whether a write of <paramref name="subresource"/> can take or remove any field of an entry's set. One that cannot
    /// (a status write and the creator's spec fields, a spec write and the status writer's) keeps its set as it is: the
    /// part of the object it names is the stored one, and the set held only fields of it after the last write that could
    /// change them.
    /// </summary>
    private static bool ReachedBy(ResourceType type, JsonObject fields, string? subresource)
    {
        foreach (var (key, _) in fields)
        {
            if (!key.StartsWith("f:", StringComparison.Ordinal)) return true;
            var name = key[2..];
            if (name is "apiVersion" or "kind") return true;
            if (name == "metadata" ? subresource != "status" : InScope(type, name, subresource)) return true;
        }
        return false;
    }

    private static bool InScope(ResourceType type, string key, string? subresource) =>
        key is not ("metadata" or "apiVersion" or "kind") && (subresource == "status") == (key == "status" && type.HasStatus);

    private static readonly string[] TrackedMetadataFields = ["labels", "annotations", "finalizers", "ownerReferences"];

    private static JsonObject TrackedMetadata(JsonObject obj)
    {
        var meta = ObjectMeta.Of(obj);
        var tracked = new JsonObject();
        foreach (var field in TrackedMetadataFields)
            if (meta[field] is { } value) tracked[field] = value.DeepClone();
        return tracked;
    }

    /// <summary>The part of an object field managers own: metadata's labels, annotations, finalizers and owners, and either status or the rest.</summary>
    private static JsonObject Tracked(ResourceType type, JsonObject obj, string? subresource)
    {
        var tracked = new JsonObject();
        var meta = ObjectMeta.Of(obj);
        var trackedMeta = new JsonObject();
        foreach (var field in new[] { "labels", "annotations", "finalizers", "ownerReferences" })
            if (meta[field] is { } value) trackedMeta[field] = value.DeepClone();
        if (subresource != "status" && trackedMeta.Count > 0) tracked["metadata"] = trackedMeta;
        foreach (var (key, value) in obj)
        {
            if (key is "metadata" or "apiVersion" or "kind") continue;
            var isStatus = key == "status" && type.HasStatus;
            if ((subresource == "status") == isStatus) tracked[key] = value?.DeepClone();
        }
        return tracked;
    }

    private static bool IsEntryOf(JsonObject entry, string manager, string operation, string? subresource) =>
        entry["manager"]?.GetValue<string>() == manager && entry["operation"]?.GetValue<string>() == operation
        && (entry["subresource"]?.GetValue<string>() ?? "") == (subresource ?? "");

    private static JsonObject Entry(ResourceType type, string manager, string operation, string? subresource, string now, JsonObject fields)
    {
        var entry = new JsonObject
        {
            ["manager"] = manager,
            ["operation"] = operation,
            ["apiVersion"] = type.ApiVersion,
            ["time"] = now,
            ["fieldsType"] = "FieldsV1",
            ["fieldsV1"] = fields,
        };
        if (subresource is not null) entry["subresource"] = subresource;
        return entry;
    }
}
