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
    /// <param name="applied">The applied configuration of a server-side apply; null for any other write.</param>
    public static void Record(ResourceType type, JsonObject? before, JsonObject after, WriteRequest request, string? subresource, JsonObject? applied, string now)
    {
        var entries = (ObjectMeta.Of(before ?? new JsonObject())["managedFields"] as JsonArray)?.OfType<JsonObject>().Select(e => e.DeepClone().AsObject()).ToList() ?? [];
        var scopeAfter = Tracked(type, after, subresource);
        var changed = before is null ? FieldSet.Of(scopeAfter) : FieldSet.Changed(Tracked(type, before, subresource), scopeAfter);
        var everything = FieldSet.Union(FieldSet.Of(Tracked(type, after, null)), FieldSet.Of(Tracked(type, after, "status")));
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
            var rest = FieldSet.Restrict(FieldSet.Subtract(fields, changed), everything);
            if (rest.Count == 0) continue;
            if (!JsonNode.DeepEquals(rest, fields)) entry["fieldsV1"] = rest;
            result.Add(entry);
        }

        var ownedNow = applied is null && mine?["fieldsV1"] is JsonObject previous
            ? FieldSet.Restrict(FieldSet.Union(previous, owned), everything)
            : FieldSet.Restrict(owned, everything);
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
