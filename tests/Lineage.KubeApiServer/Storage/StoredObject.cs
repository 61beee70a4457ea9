using System.Text.Json.Nodes;

namespace Lineage.KubeApiServer.Storage;

/// <summary>
/// One version of an object as stored. Immutable: writes build a new one, so readers and watch
/// events can share it, and its JSON is serialised once.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(JsonObject json)
    {
        Json = json;
        Utf8 = JsonText.ToUtf8(json);
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

    /// <summary>The object. Never mutate it: clone with <see cref="MutableCopy"/>.</summary>
    public JsonObject Json { get; }
    public byte[] Utf8 { get; }
    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }
    public IReadOnlyList<string> Finalizers { get; }
    public bool IsDeleting { get; }
    public IReadOnlyList<string> OwnerUids { get; }

    public JsonObject MutableCopy() => Json.DeepClone().AsObject();
}
