using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Fields;
using Lineage.EmbeddedApiServer.Patching;

namespace Lineage.EmbeddedApiServer.Storage;

internal sealed partial class ObjectStore
{
    /// <summary>PUT of the object (<paramref name="statusOnly"/> false) or of its <c>/status</c>.</summary>
    public StoredObject Replace(ResourceType type, string? ns, string name, JsonObject body, bool statusOnly, WriteRequest request) => Write(() =>
    {
        var current = Existing(type, ns, name);
        var given = ObjectMeta.String(ObjectMeta.Of(body), "resourceVersion");
        if (string.IsNullOrEmpty(given))
        {
            // Custom resources do not allow unconditional updates; built-in kinds do.
            if (type.IsCustom)
                throw ApiException.Invalid(type, name, "metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update");
        }
        else if (given != current.ResourceVersion.ToString())
        {
            throw ApiException.StaleResourceVersion(type, name);
        }
        return Update(type, current, body, statusOnly, request, applied: null);
    });

    /// <summary>PATCH: merge, strategic merge, JSON patch, or server-side apply (which creates the object if absent).</summary>
    public StoredObject Patch(ResourceType type, string? ns, string name, PatchKind kind, JsonNode? patch, bool statusOnly, WriteRequest request) => Write(() =>
    {
        var current = Find(type, ns, name);
        var applied = kind == PatchKind.Apply ? patch as JsonObject ?? throw ApiException.BadRequest("an apply patch must be an object") : null;
        if (current is null)
        {
            if (applied is null || statusOnly) throw ApiException.NotFound(type, name);
            var created = applied.DeepClone().AsObject();
            ObjectMeta.Ensure(created)["name"] = name;
            return CreateObject(type, ns, created, request, applied);
        }
        var patched = kind switch
        {
            PatchKind.Json => JsonPatch.Apply(current.MutableCopy(), patch),
            PatchKind.StrategicMerge => StrategicMergePatch.Apply(current.MutableCopy(), patch),
            PatchKind.Apply => WithoutDroppedFields(type, current, applied!, request, statusOnly),
            _ => MergePatch.Apply(current.MutableCopy(), patch),
        };
        if (patched is not JsonObject body)
            throw new ApiException(422, "Invalid", "the patch does not leave an object");
        var given = ObjectMeta.String(ObjectMeta.Of(body), "resourceVersion");
        if (string.IsNullOrEmpty(given)) ObjectMeta.Ensure(body)["resourceVersion"] = current.ResourceVersion.ToString();
        else if (given != current.ResourceVersion.ToString()) throw ApiException.StaleResourceVersion(type, name);
        // A merge patch that names only the status (the Job controller's, a kubelet's) left the rest of the stored copy as it was.
        var statusPatchOnly = kind is PatchKind.Merge or PatchKind.StrategicMerge && patch is JsonObject { Count: 1 } only && only.ContainsKey("status");
        return Update(type, current, body, statusOnly, request, applied, storedCopy: statusPatchOnly ? StoredCopy.OnlyStatusPatched : StoredCopy.Patched);
    });

    /// <summary>What an update's body is: the client's object, a patched copy of the stored one, or one whose patch named only the status.</summary>
    private enum StoredCopy { No, Patched, OnlyStatusPatched }

    /// <summary>Server-side apply: the applied configuration merged in, after removing what this manager applied before and dropped now.</summary>
    private static JsonNode? WithoutDroppedFields(ResourceType type, StoredObject current, JsonObject applied, WriteRequest request, bool statusOnly)
    {
        var stored = current.MutableCopy();
        var dropped = ManagedFields.DroppedByApply(type, stored, request.FieldManager, applied, statusOnly ? "status" : null);
        FieldSet.RemoveFrom(stored, dropped);
        return MergePatch.Apply(stored, applied);
    }

    /// <param name="storedCopy">Whether the body is a patched copy of the stored object, the server's own tree (a PUT body is the client's), and whether its patch named only the status.</param>
    private StoredObject Update(ResourceType type, StoredObject current, JsonObject body, bool statusOnly, WriteRequest request, JsonObject? applied,
        StoredCopy storedCopy = StoredCopy.No)
    {
        CheckKind(type, body);
        var bodyMeta = ObjectMeta.Of(body);
        var bodyName = ObjectMeta.String(bodyMeta, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != current.Name)
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({current.Name})");
        var bodyNamespace = ObjectMeta.String(bodyMeta, "namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != current.Namespace)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");

        // A uid in the body is a precondition, as in the real server: it catches writes meant for a deleted namesake.
        var bodyUid = ObjectMeta.String(bodyMeta, "uid");
        if (!string.IsNullOrEmpty(bodyUid) && bodyUid != current.Uid)
            throw ApiException.Conflict(type, current.Name, $"Precondition failed: UID in precondition: {bodyUid}, UID in object meta: {current.Uid}");

        // The stored object as a tree, parsed once: read (never changed) by everything below.
        var before = current.MutableCopy();
        var next = statusOnly ? WithStatusOf(current, before, body, storedCopy) : WithContentOf(type, before, body);
        return Commit(type, current, next, request, statusOnly ? "status" : null, applied, before);
    }

    /// <summary>
    /// A status write: the stored object with the status of the body. The body is that object already (and is used
    /// as it is) when it is a patched copy of the stored one whose other parts the patch left exactly as they were.
    /// </summary>
    /// <remarks>The copy is a second parse of the stored bytes, not a clone of <paramref name="before"/>: a parsed tree is
    /// built only where it is read, so the spec of a status write is never materialised (a clone walks it all).</remarks>
    private static JsonObject WithStatusOf(StoredObject current, JsonObject before, JsonObject body, StoredCopy storedCopy)
    {
        if (storedCopy == StoredCopy.OnlyStatusPatched || storedCopy == StoredCopy.Patched && JsonText.SameExcept(before, body, "status")) return body;
        var status = body["status"];
        body.Remove("status");
        var next = current.MutableCopy();
        if (status is not null) next["status"] = status;
        else next.Remove("status");
        return next;
    }

    /// <summary>PUT of the object: the server owns identity, timestamps and (with a status subresource) status.</summary>
    private static JsonObject WithContentOf(ResourceType type, JsonObject before, JsonObject body)
    {
        var next = Canonical(type, body);
        var meta = ObjectMeta.Ensure(next);
        var old = ObjectMeta.Of(before);
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (old[field] is { } value) meta[field] = value.DeepClone();
            else meta.Remove(field);
        }
        if (type.HasStatus)
        {
            if (before["status"] is { } status) next["status"] = status.DeepClone();
            else next.Remove("status");
        }
        return next;
    }

    /// <summary>
    /// Stores an update: generation moves when the spec does, an unchanged object is not written,
    /// and removing the last finalizer of a deleting object deletes it.
    /// </summary>
    /// <param name="before">The stored object as a tree, if the caller has parsed it already; only read.</param>
    private StoredObject Commit(ResourceType type, StoredObject current, JsonObject next, WriteRequest request, string? subresource, JsonObject? applied = null,
        JsonObject? before = null)
    {
        var meta = ObjectMeta.Ensure(next);
        CheckMetadata(type, current.Name, meta);
        var finalizers = ObjectMeta.StringList(meta, "finalizers");
        if (current.IsDeleting)
        {
            var added = finalizers.Except(current.Finalizers).ToList();
            if (added.Count > 0)
                throw ApiException.Invalid(type, current.Name, "metadata.finalizers",
                    $"Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]");
        }
        meta["resourceVersion"] = current.ResourceVersion.ToString();
        before ??= current.MutableCopy();
        // A status write's object is the stored one with another status (WithStatusOf): its managedFields and every
        // other part are the stored ones already.
        var statusWrite = subresource == "status";
        if (!statusWrite) ManagedFields.Keep(before, next);
        BuiltInRules.Normalize(type, next);
        BuiltInRules.CheckUpdate(type, current, before, next, subresource);
        var validUnder = ApplySchema(type, current.Name, next, request, current, before, onlyChanged: statusWrite ? "status" : null);
        var generation = ObjectMeta.Long(ObjectMeta.Of(before), "generation") ?? 1;
        var specUnchanged = statusWrite || SpecEquals(before, next);
        meta["generation"] = specUnchanged ? generation : generation + 1;
        if (specUnchanged && RestEquals(before, next)) return current;
        ManagedFields.Record(type, before, next, request, subresource, applied, ObjectMeta.Timestamp(DateTimeOffset.UtcNow));
        if (request.DryRun) return new StoredObject(next);

        if (current.IsDeleting && finalizers.Count == 0 && !(type == BuiltInResources.Namespaces && HasContent(current.Name)))
            return Remove(type, current, next, cascade: true);

        if (type == BuiltInResources.CustomResourceDefinitions) Register(next);
        meta["resourceVersion"] = NextResourceVersion();
        var stored = new StoredObject(next) { ValidUnder = validUnder };
        Publish(type, new WatchEvent(WatchEvent.Modified, stored, current));
        if (!stored.OwnerUids.SequenceEqual(current.OwnerUids)) CollectIfOrphaned(type, stored);
        return stored;
    }

    /// <summary>
    /// Whether what <see cref="SpecEquals"/> leaves out (metadata, status, apiVersion, kind) is unchanged. The status
    /// first: a status write almost always changes it, and then the metadata (managedFields and all) is not walked.
    /// </summary>
    private static bool RestEquals(JsonObject a, JsonObject b)
    {
        foreach (var key in (ReadOnlySpan<string>)["status", "apiVersion", "kind", "metadata"])
        {
            var inA = a.TryGetPropertyValue(key, out var valueA);
            if (inA != b.TryGetPropertyValue(key, out var valueB) || inA && !JsonNode.DeepEquals(valueA, valueB)) return false;
        }
        return true;
    }

    /// <summary>Whether everything outside metadata and status (the spec, data, and so on) is unchanged.</summary>
    private static bool SpecEquals(JsonObject a, JsonObject b)
    {
        static bool IsSpec(string key) => key is not ("metadata" or "status" or "apiVersion" or "kind");
        var keysA = a.Where(kv => IsSpec(kv.Key)).ToList();
        var countB = b.Count(kv => IsSpec(kv.Key));
        return keysA.Count == countB && keysA.All(kv => b.TryGetPropertyValue(kv.Key, out var other) && JsonNode.DeepEquals(kv.Value, other));
    }
}
