using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// One version of an object as stored: its JSON bytes (serialised once, shared by readers, lists and
/// watch events) and the metadata selectors and the garbage collector need. Immutable; kept as
/// bytes rather than a JSON tree to keep the history small.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(JsonObject json) : this(JsonText.ToUtf8(json), json)
    {
    }

    /// <summary>An object read back from storage.</summary>
    public StoredObject(byte[] utf8) : this(utf8, JsonNode.Parse(utf8)!.AsObject())
    {
    }

    private StoredObject(byte[] utf8, JsonObject json)
    {
        Utf8 = utf8;
        var meta = ObjectMeta.Of(json);
        Namespace = ObjectMeta.String(meta, "namespace") ?? "";
        Name = ObjectMeta.String(meta, "name") ?? "";
        Uid = ObjectMeta.String(meta, "uid") ?? "";
        ResourceVersion = long.Parse(ObjectMeta.String(meta, "resourceVersion") ?? "0");
        Labels = ObjectMeta.StringMap(meta, "labels");
        Finalizers = ObjectMeta.StringList(meta, "finalizers");
        IsDeleting = meta["deletionTimestamp"] is not null;
        OwnerUids = meta["ownerReferences"] is JsonArray owners
            ? owners.Select(o => o?["uid"]?.GetValue<string>()).OfType<string>().ToArray()
            : [];
    }

    public byte[] Utf8 { get; }
    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyList<string> Finalizers { get; }
    public bool IsDeleting { get; }
    public IReadOnlyList<string> OwnerUids { get; }

    /// <summary>
    /// The CRD schema (the very <see cref="ResourceType.Schema"/> instance) this version was checked against and satisfied
    /// in full, or null (built-in kinds, objects read back from the data file, objects accepted with ratcheted errors).
    /// An update may then skip checking the values it leaves unchanged: they cannot fail.
    /// </summary>
    public System.Text.Json.Nodes.JsonObject? ValidUnder { get; init; }

    /// <summary>The collection key, <c>namespace/name</c> (cluster-scoped: <c>/name</c>).</summary>
    public string Key => ResourceBucket.Key(Namespace.Length == 0 ? null : Namespace, Name);

    /// <summary>A fresh JSON tree of the object, free to change.</summary>
    public JsonObject MutableCopy() => JsonNode.Parse(Utf8)!.AsObject();
}
