using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Fields;

namespace Lineage.EmbeddedApiServer.Storage;

internal sealed partial class ObjectStore
{
    public StoredObject Create(ResourceType type, string? ns, JsonObject body, WriteRequest request) =>
        Write(() => CreateObject(type, ns, body, request, applied: null));

    private StoredObject CreateObject(ResourceType type, string? ns, JsonObject body, WriteRequest request, JsonObject? applied)
    {
        CheckKind(type, body);
        var obj = Canonical(type, body);
        var meta = ObjectMeta.Ensure(obj);
        var name = ObjectMeta.String(meta, "name");
        if (string.IsNullOrEmpty(name)) name = GenerateName(type, ns, meta);
        meta["name"] = name;
        ObjectNames.Validate(type, name);
        PlaceInNamespace(type, ns, meta);
        CheckMetadata(type, name, meta);
        if (Find(type, ns, name) is not null) throw ApiException.AlreadyExists(type, name);
        // The real server refuses this too (from its storage layer, hence 500).
        if (!string.IsNullOrEmpty(ObjectMeta.String(meta, "resourceVersion")))
            throw new ApiException(500, "InternalError", "Internal error occurred: resourceVersion should not be set on objects to be created");
        if (type.Namespaced && !options.ImplicitNamespaces && Find(BuiltInResources.Namespaces, null, ns!) is null)
            throw ApiException.NotFound(BuiltInResources.Namespaces, ns!);
        if (type.Namespaced && IsTerminating(ns!))
            throw ApiException.NamespaceTerminating(type, name, ns!);

        var now = DateTimeOffset.UtcNow;
        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = ObjectMeta.Timestamp(now);
        meta["generation"] = 1L;
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("managedFields");
        // Like the real strategies for kinds with a status subresource: a client cannot create status.
        if (type.HasStatus) obj.Remove("status");
        OnCreate(type, obj);
        BuiltInRules.Normalize(type, obj);
        BuiltInRules.OnCreate(type, obj);
        var validUnder = ApplySchema(type, name, obj, request);
        ManagedFields.Record(type, null, obj, request, null, applied, ObjectMeta.Timestamp(now));
        if (request.DryRun) return new StoredObject(obj);
        if (type == BuiltInResources.CustomResourceDefinitions) Register(obj);
        meta["resourceVersion"] = NextResourceVersion();

        var stored = new StoredObject(obj) { ValidUnder = validUnder };
        Publish(type, new WatchEvent(WatchEvent.Added, stored, null));
        CollectIfOrphaned(type, stored);
        return stored;
    }

    private string GenerateName(ResourceType type, string? ns, JsonObject meta)
    {
        var prefix = ObjectMeta.String(meta, "generateName");
        if (string.IsNullOrEmpty(prefix))
            throw ApiException.Invalid(type, "", "metadata.name", "Required value: name or generateName is required");
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var name = ObjectNames.Generate(prefix, names);
            if (Find(type, ns, name) is null) return name;
        }
        throw ApiException.AlreadyExists(type, prefix);
    }

    private static void PlaceInNamespace(ResourceType type, string? ns, JsonObject meta)
    {
        var given = ObjectMeta.String(meta, "namespace");
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return;
        }
        if (!string.IsNullOrEmpty(given) && given != ns)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        meta["namespace"] = ns;
    }

    /// <summary>What the real server's strategies and controllers fill in at once: namespace phase and finalizer, CRD registration.</summary>
    private void OnCreate(ResourceType type, JsonObject obj)
    {
        if (type == BuiltInResources.Namespaces)
        {
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
        }
        if (type == BuiltInResources.CustomResourceDefinitions)
        {
            CustomResourceDefinition.ServedTypes(obj);
            CustomResourceDefinition.Accept(obj);
        }
    }

    private void Register(JsonObject crd)
    {
        var served = CustomResourceDefinition.ServedTypes(crd);
        var collection = ObjectMeta.String(ObjectMeta.Of(crd), "name")!;
        Registry.RemoveCollection(collection);
        foreach (var type in served) Registry.Add(type);
        CustomResourceDefinition.Accept(crd);
    }
}
