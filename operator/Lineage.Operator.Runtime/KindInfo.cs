using System.Collections.Concurrent;
using System.Reflection;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>
/// Where a kind lives on the API server, read once from its <c>[KubernetesEntity]</c> attribute.
/// An empty group is the core group (<c>/api/v1</c>); every other kind is under <c>/apis/{group}/{version}</c>.
/// </summary>
public sealed record KindInfo(string Group, string Version, string Kind, string Plural)
{
    static readonly ConcurrentDictionary<Type, KindInfo> Cache = new();

    /// <summary>The value of <c>apiVersion</c> on objects of this kind: <c>v1</c> or <c>group/version</c>.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The path of the kind's collection, relative to the server: <c>api/v1/namespaces/{ns}/{plural}</c>,
    /// <c>apis/{group}/{version}/{plural}</c> across namespaces (null).</summary>
    public string CollectionPath(string? @namespace) =>
        $"{(Group.Length == 0 ? "api" : "apis")}/{ApiVersion}{(@namespace is null ? "" : $"/namespaces/{Uri.EscapeDataString(@namespace)}")}/{Plural}";

    public static KindInfo Of<T>() => Of(typeof(T));

    public static KindInfo Of(Type type) => Cache.GetOrAdd(type, static t =>
    {
        var entity = t.GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{t.FullName} has no [KubernetesEntity] attribute, so its group, version and plural are unknown.");
        if (string.IsNullOrEmpty(entity.ApiVersion) || string.IsNullOrEmpty(entity.Kind) || string.IsNullOrEmpty(entity.PluralName))
            throw new ArgumentException($"{t.FullName}: [KubernetesEntity] needs ApiVersion, Kind and PluralName.");
        return new KindInfo(entity.Group ?? "", entity.ApiVersion, entity.Kind, entity.PluralName);
    });

    public override string ToString() => $"{Plural}.{(Group.Length == 0 ? "core" : Group)}/{Version}";
}
