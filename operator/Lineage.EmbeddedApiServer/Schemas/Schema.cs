using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// A CRD's structural schema applied to a custom resource on every write, in kube-apiserver's order:
/// prune unknown fields, apply defaults, validate (OpenAPI, then CEL rules unless an OpenAPI error blocks them). apiVersion, kind and metadata are the server's.
/// </summary>
internal static class Schema
{
    /// <summary>
    /// Each CRD version's schema as applied, made once (it was deep-cloned on every write: at 1,000 × 3 that clone was
    /// ~5 % of the machine's CPU). Nothing below writes to it: defaults are cloned into the object.
    /// </summary>
    static readonly ConditionalWeakTable<JsonObject, JsonObject> Prepared = new();

    /// <param name="stored">On an update, the stored object: values left unchanged are ratcheted (<see cref="Ratcheting"/>).</param>
    /// <param name="storedIsValid">The stored object satisfied this same schema when it was written.</param>
    /// <param name="onlyChanged">With <paramref name="stored"/>: the one top-level property the write may have changed (a
    /// status write's <c>status</c>); the others are the stored ones and are not compared again.</param>
    public static SchemaOutcome Apply(JsonObject obj, JsonObject schema, JsonObject? stored = null, bool storedIsValid = false, string? onlyChanged = null)
    {
        var root = Prepared.GetValue(schema, Prepare);
        var metadata = obj["metadata"];
        var position = obj.IndexOf("metadata");
        obj.Remove("metadata");
        try
        {
            var unknown = new List<string>();
            // What the stored object holds was pruned and defaulted by this schema: an unchanged value needs neither again.
            var pruned = stored is not null && storedIsValid ? Prior.Of(stored, onlyChanged) : Prior.None;
            SchemaPruning.Prune(obj, root, "", unknown, pruned);
            SchemaDefaults.Apply(obj, root, pruned);
            var errors = new List<string>();
            var ratchet = stored is null ? null : new Ratcheting(storedIsValid);
            var prior = stored is null ? Prior.None : Prior.Of(stored, onlyChanged);
            SchemaValidation.Validate(obj, root, "", errors, prior, ratchet);
            if (errors.Any(IsBlocking)) errors.Add(RulesNotChecked);
            else ValidationRules.Validate(obj, root, "", errors, prior, ratchet);
            return new SchemaOutcome(errors, unknown, ratchet?.Warnings ?? [], Valid: errors.Count == 0 && ratchet?.Forgave != true);
        }
        finally
        {
            // Back where it was (after apiVersion and kind), as the real server prints objects.
            if (position >= 0) obj.Insert(Math.Min(position, obj.Count), "metadata", metadata);
        }
    }

    static JsonObject Prepare(JsonObject schema)
    {
        var root = schema.DeepClone().AsObject();
        if (root["properties"] is JsonObject properties)
        {
            // The server owns these; the schema may not prune or constrain them.
            properties.Remove("metadata");
            properties["apiVersion"] = new JsonObject { ["type"] = "string" };
            properties["kind"] = new JsonObject { ["type"] = "string" };
        }
        return root;
    }

    /// <summary>kube-apiserver's note when a blocking schema error kept the CEL rules from running.</summary>
    public const string RulesNotChecked =
        "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    /// <summary>
    /// As kube-apiserver (apiextensions' hasBlockingErr): a wrong type, an unsupported enum value, a missing required
    /// field, a too long string or a too long list stop the CEL rules, which would otherwise run on values of the wrong shape.
    /// </summary>
    static bool IsBlocking(string error) =>
        error.Contains(" in body must be of type ", StringComparison.Ordinal) || error.Contains(": Unsupported value: ", StringComparison.Ordinal)
        || error.EndsWith(": Required value", StringComparison.Ordinal) || error.Contains(": Too long: ", StringComparison.Ordinal)
        || error.Contains(": Too many: ", StringComparison.Ordinal);

    public static bool PreservesUnknownFields(JsonObject schema) => IsTrue(schema["x-kubernetes-preserve-unknown-fields"]);

    public static bool IsTrue(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;
}

/// <summary>
/// What applying a schema found: validation errors (<c>path: message</c>), the unknown fields it dropped, the failures
/// it forgave on unchanged values (as warnings), and whether the object satisfies the schema in full.
/// </summary>
internal sealed record SchemaOutcome(IReadOnlyList<string> Errors, IReadOnlyList<string> UnknownFields, IReadOnlyList<string> Warnings, bool Valid);
