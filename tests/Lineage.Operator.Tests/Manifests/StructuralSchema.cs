using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using k8s.Models;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// The structural checks the API server applies to a custom resource before CEL: unknown fields (pruning),
/// types, enums, patterns, bounds and required fields. Used to check the examples against the generated CRDs.
/// </summary>
static class StructuralSchema
{
    public static List<string> Errors(JsonNode? value, V1JSONSchemaProps schema, string path = "")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    static void Check(JsonNode? value, V1JSONSchemaProps schema, string path, List<string> errors)
    {
        switch (schema.Type)
        {
            case "object" when value is JsonObject obj:
                foreach (var required in schema.Required ?? [])
                    if (!obj.ContainsKey(required)) errors.Add($"{path}.{required}: required");
                foreach (var (name, child) in obj)
                {
                    if (schema.Properties?.TryGetValue(name, out var childSchema) == true) Check(child, childSchema, $"{path}.{name}", errors);
                    else if (schema.AdditionalProperties is V1JSONSchemaProps extra) Check(child, extra, $"{path}.{name}", errors);
                    else if (schema.Properties is not null) errors.Add($"{path}.{name}: unknown field");
                }
                break;
            case "array" when value is JsonArray array:
                for (int i = 0; i < array.Count; i++) Check(array[i], (V1JSONSchemaProps)schema.Items, $"{path}[{i}]", errors);
                break;
            case "string" when value is JsonValue v && v.TryGetValue(out string? s):
                if (schema.EnumProperty is { } allowed && !allowed.Select(a => a.ToString()).Contains(s)) errors.Add($"{path}: '{s}' not in enum");
                if (schema.Pattern is { } pattern && !Regex.IsMatch(s, pattern)) errors.Add($"{path}: '{s}' does not match {pattern}");
                if (schema.MinLength is { } min && s.Length < min) errors.Add($"{path}: shorter than {min}");
                break;
            case "integer" or "number" when value is JsonValue v && v.TryGetValue(out double d):
                if (schema.Type == "integer" && d != Math.Floor(d)) errors.Add($"{path}: {d} is not an integer");
                if (schema.Minimum is { } lo && d < lo) errors.Add($"{path}: {d} < {lo}");
                if (schema.Maximum is { } hi && d > hi) errors.Add($"{path}: {d} > {hi}");
                break;
            case "boolean" when value is JsonValue v && v.TryGetValue(out bool _):
                break;
            default:
                errors.Add($"{path}: expected {schema.Type}, got {value?.ToJsonString() ?? "null"}");
                break;
        }
    }
}
