using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// A CRD version's <c>selectableFields</c> (KEP-4358), checked as kube-apiserver checks them: each jsonPath is a
/// simple path (no array notation) to a string, boolean or integer field of the version's schema, outside metadata,
/// without duplicates, at most <see cref="Max"/>. The field labels they give are the paths without the leading dot.
/// </summary>
internal static class SelectableFields
{
    public const int Max = 8;

    /// <summary>The field labels of <paramref name="fields"/>; every refusal is added to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<string> Labels(JsonArray? fields, JsonObject? schema, string fieldPath, List<string> errors)
    {
        var labels = new List<string>();
        foreach (var (field, index) in (fields ?? []).Select((f, i) => (f, i)))
        {
            var at = $"{fieldPath}[{index}].jsonPath";
            var jsonPath = field?["jsonPath"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : "";
            if (jsonPath.Length == 0)
            {
                errors.Add($"{at}: Required value");
                continue;
            }
            var shown = JsonSerializer.Serialize(jsonPath);
            var (path, found, problem) = Resolve(jsonPath, schema);
            if (problem is not null)
            {
                errors.Add($"{at}: Invalid value: {shown}: is an invalid path: {problem}");
                continue;
            }
            if (path[0] == "metadata") errors.Add($"{at}: Invalid value: {shown}: must not point to fields in metadata");
            if ((found?["type"] as JsonValue)?.ToString() is not ("string" or "boolean" or "integer"))
                errors.Add($"{at}: Invalid value: {shown}: must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.");
            var label = string.Join('.', path);
            if (labels.Contains(label)) errors.Add($"{at}: Duplicate value: {shown}");
            else labels.Add(label);
        }
        if (labels.Count > Max) errors.Add($"{fieldPath}: Too many: {labels.Count}: must have at most {Max} items");
        return labels;
    }

    /// <summary>Walks <c>.a.b</c> through properties (or additionalProperties, a map key); the error is kube-apiserver's wording.</summary>
    private static (List<string> Path, JsonObject? Schema, string? Problem) Resolve(string jsonPath, JsonObject? schema)
    {
        var path = new List<string>();
        var tokens = Tokens(jsonPath);
        for (var i = 0; i < tokens.Count; i++)
        {
            switch (tokens[i])
            {
                case "[":
                    return (path, null, "array notation is not allowed");
                case ".":
                    if (++i == tokens.Count) return (path, null, "unexpected end of JSON path");
                    var name = tokens[i];
                    if (schema?["properties"] is JsonObject properties)
                    {
                        if (properties[name] is not JsonObject property) return (path, null, "does not refer to a valid field");
                        schema = property;
                    }
                    else if (schema?["additionalProperties"] is JsonObject values) schema = values;
                    else return (path, null, "does not refer to a valid field");
                    path.Add(name);
                    break;
                default:
                    return (path, null, $"expected [ or . but got: {tokens[i]}");
            }
        }
        return (path, schema, null);
    }

    /// <summary>'.', '[' and ']' are tokens of their own; a single-quoted string is one token whatever it holds.</summary>
    private static List<string> Tokens(string jsonPath)
    {
        var tokens = new List<string>();
        var current = new StringBuilder();
        var quoted = false;
        foreach (var c in jsonPath)
        {
            if (quoted)
            {
                current.Append(c);
                if (c == '\'') quoted = false;
                continue;
            }
            if (c is '.' or '[' or ']')
            {
                if (current.Length > 0) tokens.Add(current.ToString());
                current.Clear();
                tokens.Add(c.ToString());
                continue;
            }
            if (c == '\'') quoted = true;
            current.Append(c);
        }
        if (current.Length > 0) tokens.Add(current.ToString());
        return tokens;
    }
}
