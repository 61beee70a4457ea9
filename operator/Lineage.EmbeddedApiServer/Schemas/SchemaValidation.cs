using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// The OpenAPI v3 checks kube-apiserver makes on custom resources: type, required, enum, ranges,
/// lengths, patterns and item counts, with its wording. CEL rules (<c>x-kubernetes-validations</c>) are not run.
/// On an update (<paramref name="ratchet"/> set) a value equal to its correlated stored value (<see cref="Prior"/>) has
/// its errors forgiven, as kube-apiserver's ratcheting validator does.
/// </summary>
internal static class SchemaValidation
{
    public static void Validate(JsonNode? node, JsonObject schema, string path, List<string> errors, Prior prior = default, Ratcheting? ratchet = null)
    {
        if (ratchet is not null && prior.Unchanged(node))
        {
            if (ratchet.StoredIsValid) return;
            var forgiven = new List<string>();
            Validate(node, schema, path, forgiven);
            if (forgiven.Count > 0) ratchet.Forgave = true;
            return;
        }
        if (node is null)
        {
            if (!Schema.IsTrue(schema["nullable"]) && schema["type"] is not null)
                errors.Add($"{Name(path)}: Invalid value: \"null\": {Name(path)} in body must be of type {schema["type"]}");
            return;
        }
        if (!HasType(node, schema, path, errors)) return;
        CheckEnum(node, schema, path, errors);
        switch (node)
        {
            case JsonObject obj:
                CheckObject(obj, schema, path, errors, prior, ratchet);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, errors, prior, ratchet);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                CheckString(value.GetValue<string>(), schema, path, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                CheckNumber(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture), schema, path, errors);
                break;
        }
    }

    private static bool HasType(JsonNode node, JsonObject schema, string path, List<string> errors)
    {
        var kind = node.GetValueKind();
        var expected = schema["type"]?.GetValue<string>();
        var ok = Schema.IsTrue(schema["x-kubernetes-int-or-string"])
            ? kind is JsonValueKind.String || kind is JsonValueKind.Number && IsInteger(node)
            : expected switch
            {
                null => true,
                "object" => kind == JsonValueKind.Object,
                "array" => kind == JsonValueKind.Array,
                "string" => kind == JsonValueKind.String,
                "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                "number" => kind == JsonValueKind.Number,
                "integer" => kind == JsonValueKind.Number && IsInteger(node),
                _ => true,
            };
        if (!ok) errors.Add($"{Name(path)}: Invalid value: \"{KindName(kind)}\": {Name(path)} in body must be of type {expected ?? "int-or-string"}: \"{KindName(kind)}\"");
        return ok;
    }

    private static void CheckEnum(JsonNode node, JsonObject schema, string path, List<string> errors)
    {
        if (schema["enum"] is not JsonArray allowed || allowed.Any(a => JsonNode.DeepEquals(a, node))) return;
        var supported = string.Join(", ", allowed.Select(a => a?.ToJsonString()));
        errors.Add($"{Name(path)}: Unsupported value: {node.ToJsonString()}: supported values: {supported}");
    }

    private static void CheckObject(JsonObject obj, JsonObject schema, string path, List<string> errors, Prior prior, Ratcheting? ratchet)
    {
        if (schema["required"] is JsonArray required)
            foreach (var field in required.Select(r => r?.GetValue<string>()).OfType<string>())
                if (!obj.ContainsKey(field)) errors.Add($"{Name(Join(path, field))}: Required value");
        var properties = schema["properties"] as JsonObject;
        foreach (var (key, value) in obj)
        {
            if (properties?[key] is JsonObject propertySchema) Validate(value, propertySchema, Join(path, key), errors, prior.Property(key), ratchet);
            else if (schema["additionalProperties"] is JsonObject valueSchema) Validate(value, valueSchema, Join(path, key), errors, prior.Property(key), ratchet);
        }
        Count(obj.Count, schema, "minProperties", "maxProperties", "properties", path, errors);
    }

    private static void CheckArray(JsonArray array, JsonObject schema, string path, List<string> errors, Prior prior, Ratcheting? ratchet)
    {
        if (schema["items"] is JsonObject itemSchema)
            for (var i = 0; i < array.Count; i++) Validate(array[i], itemSchema, $"{path}[{i}]", errors, prior.Item(schema, array[i]), ratchet);
        Count(array.Count, schema, "minItems", "maxItems", "items", path, errors);
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        var length = new StringInfo(text).LengthInTextElements;
        if (Number(schema["minLength"]) is { } min && length < min)
            errors.Add($"{Name(path)}: Invalid value: \"{text}\": {Name(path)} in body should be at least {min} chars long");
        if (Number(schema["maxLength"]) is { } max && length > max)
            errors.Add($"{Name(path)}: Too long: may not be more than {max} bytes");
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern))
            errors.Add($"{Name(path)}: Invalid value: \"{text}\": {Name(path)} in body should match '{pattern}'");
    }

    private static void CheckNumber(double value, JsonObject schema, string path, List<string> errors)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        if (Number(schema["minimum"]) is { } min)
        {
            var exclusive = Schema.IsTrue(schema["exclusiveMinimum"]);
            if (exclusive ? value <= min : value < min)
                errors.Add($"{Name(path)}: Invalid value: {text}: {Name(path)} in body should be greater than {(exclusive ? "" : "or equal to ")}{min.ToString(CultureInfo.InvariantCulture)}");
        }
        if (Number(schema["maximum"]) is { } max)
        {
            var exclusive = Schema.IsTrue(schema["exclusiveMaximum"]);
            if (exclusive ? value >= max : value > max)
                errors.Add($"{Name(path)}: Invalid value: {text}: {Name(path)} in body should be less than {(exclusive ? "" : "or equal to ")}{max.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static void Count(int count, JsonObject schema, string minField, string maxField, string what, string path, List<string> errors)
    {
        if (Number(schema[minField]) is { } min && count < min)
            errors.Add($"{Name(path)}: Invalid value: {count}: {Name(path)} in body should have at least {min} {what}");
        if (Number(schema[maxField]) is { } max && count > max)
            errors.Add($"{Name(path)}: Too many: {count}: must have at most {max} {what}");
    }

    private static double? Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture) : null;

    private static bool IsInteger(JsonNode node) =>
        decimal.TryParse(node.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d);

    private static string KindName(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";

    private static string Name(string path) => path.Length == 0 ? "<root>" : path;
}
