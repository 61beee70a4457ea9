using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Schemas;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// Reads an <c>apiextensions.k8s.io/v1</c> CustomResourceDefinition into the resource types it serves,
/// and writes the status a real server reports once the names are accepted.
/// </summary>
internal static class CustomResourceDefinition
{
    public static IReadOnlyList<ResourceType> ServedTypes(JsonObject crd)
    {
        var type = BuiltInResources.CustomResourceDefinitions;
        var name = ObjectMeta.String(ObjectMeta.Of(crd), "name") ?? "";
        var spec = crd["spec"] as JsonObject ?? throw ApiException.Invalid(type, name, "spec", "Required value");
        var group = Text(spec, "group", name);
        var names = spec["names"] as JsonObject ?? throw ApiException.Invalid(type, name, "spec.names", "Required value");
        var plural = Text(names, "plural", name, "spec.names.");
        var kind = Text(names, "kind", name, "spec.names.");
        if (name != $"{plural}.{group}")
            throw ApiException.Invalid(type, name, "metadata.name", $"Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
        var namespaced = Text(spec, "scope", name) switch
        {
            "Namespaced" => true,
            "Cluster" => false,
            var other => throw ApiException.Invalid(type, name, "spec.scope", $"Unsupported value: \"{other}\": supported values: \"Cluster\", \"Namespaced\""),
        };
        if (spec["versions"] is not JsonArray { Count: > 0 } versions)
            throw ApiException.Invalid(type, name, "spec.versions", "Required value: must have exactly one version marked as storage version");

        var served = new List<ResourceType>();
        var selectableErrors = new List<string>();
        foreach (var (version, index) in versions.Select((v, i) => (v as JsonObject, i)))
        {
            if (version is null) throw ApiException.Invalid(type, name, $"spec.versions[{index}]", "must be an object");
            var versionName = Text(version, "name", name, $"spec.versions[{index}].");
            var schema = version["schema"]?["openAPIV3Schema"] as JsonObject;
            var selectable = SelectableFields.Labels(version["selectableFields"] as JsonArray, schema,
                $"spec.versions[{index}].selectableFields", selectableErrors);
            if (version["served"] is JsonValue s && s.TryGetValue<bool>(out var isServed) && !isServed) continue;
            var hasStatus = version["subresources"]?["status"] is JsonObject;
            if (schema is not null && ValidationRules.CompileErrors(schema, $"spec.validation.openAPIV3Schema").ToList() is { Count: > 0 } ruleErrors)
                throw ApiException.Invalid(type, name, ruleErrors);
            served.Add(new ResourceType(group, versionName, plural, kind, namespaced, hasStatus, IsCustom: true, ReturnsObjectOnDelete: true,
                Schema: schema?.DeepClone().AsObject(),
                ShortNames: names["shortNames"] is JsonArray shorts ? shorts.Select(n => n?.GetValue<string>()).OfType<string>().ToList() : null,
                PrinterColumns: version["additionalPrinterColumns"]?.DeepClone() as JsonArray,
                SelectableFields: selectable));
        }
        if (selectableErrors.Count > 0) throw ApiException.Invalid(type, name, selectableErrors);
        return served;
    }

    public static void Accept(JsonObject crd)
    {
        var spec = crd["spec"]!.AsObject();
        var storage = spec["versions"]!.AsArray().OfType<JsonObject>()
            .FirstOrDefault(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var isStorage) && isStorage)
            ?? spec["versions"]!.AsArray().OfType<JsonObject>().First();
        var now = ObjectMeta.Timestamp(DateTimeOffset.UtcNow);
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = spec["names"]!.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(storage["name"]!.DeepClone()),
        };
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = "True",
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };

    private static string Text(JsonObject parent, string field, string crdName, string prefix = "spec.") =>
        parent[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw ApiException.Invalid(BuiltInResources.CustomResourceDefinitions, crdName, prefix + field, "Required value");
}
