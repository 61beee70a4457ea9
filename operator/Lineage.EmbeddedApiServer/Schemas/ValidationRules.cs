using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using Lineage.EmbeddedApiServer.Cel;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// The CRD's CEL validation rules (<c>x-kubernetes-validations</c> at any depth), run after defaulting as
/// kube-apiserver does, with its wording: <c>spec: Invalid value: "object": set exactly one of parent or base</c>.
/// <c>self</c> is the value the rule sits on. Transition rules (<c>oldSelf</c>) are not run: no CRD of ours has one.
/// </summary>
internal static partial class ValidationRules
{
    public static void Validate(JsonNode? node, JsonObject schema, string path, List<string> errors)
    {
        if (node is null || !MatchesType(node, schema)) return;
        switch (node)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                foreach (var (key, value) in obj)
                {
                    if (properties?[key] is JsonObject propertySchema) Validate(value, propertySchema, Join(path, key), errors);
                    else if (schema["additionalProperties"] is JsonObject valueSchema) Validate(value, valueSchema, Join(path, key), errors);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++) Validate(array[i], itemSchema, $"{path}[{i}]", errors);
                break;
        }
        if (schema["x-kubernetes-validations"] is JsonArray rules) Check(node, schema, rules, path, errors);
    }

    /// <summary>Every rule of a CRD version's schema that does not compile, as kube-apiserver reports it when the CRD is written.</summary>
    public static IEnumerable<string> CompileErrors(JsonObject schema, string path)
    {
        if (schema["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var rule = rules[i]?["rule"]?.GetValue<string>();
                if (string.IsNullOrWhiteSpace(rule))
                {
                    yield return $"{path}.x-kubernetes-validations[{i}].rule: Required value";
                    continue;
                }
                if (CelPrograms.CompileError(rule) is { } error)
                    yield return $"{path}.x-kubernetes-validations[{i}].rule: Invalid value: {Quote(rule)}: compilation failed: {error}";
            }
        }
        if (schema["properties"] is JsonObject properties)
            foreach (var (key, child) in properties)
                if (child is JsonObject childSchema)
                    foreach (var error in CompileErrors(childSchema, $"{path}.properties[{key}]")) yield return error;
        if (schema["additionalProperties"] is JsonObject additional)
            foreach (var error in CompileErrors(additional, $"{path}.additionalProperties")) yield return error;
        if (schema["items"] is JsonObject items)
            foreach (var error in CompileErrors(items, $"{path}.items")) yield return error;
    }

    private static void Check(JsonNode node, JsonObject schema, JsonArray rules, string path, List<string> errors)
    {
        var self = CelValues.Of(node, schema);
        var type = schema["type"]?.GetValue<string>() ?? "object";
        foreach (var ruleNode in rules.OfType<JsonObject>())
        {
            var rule = ruleNode["rule"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(rule)) continue;
            var variables = new Dictionary<string, object?> { ["self"] = self };
            var field = FieldPath(path, ruleNode["fieldPath"]?.GetValue<string>());
            object? result;
            try
            {
                result = CelPrograms.Get(rule)(variables);
            }
            catch (CelException error)
            {
                errors.Add($"{Name(path)}: Invalid value: {Quote(type)}: {RuntimeError(error)} evaluating rule: {rule}");
                continue;
            }
            if (result is true) continue;
            if (result is not false)
            {
                errors.Add($"{Name(field)}: Invalid value: {Quote(type)}: rule did not evaluate to a bool: {rule}");
                continue;
            }
            var message = Message(ruleNode, rule, variables);
            errors.Add(ruleNode["reason"]?.GetValue<string>() switch
            {
                "FieldValueRequired" => $"{Name(field)}: Required value: {message}",
                "FieldValueForbidden" => $"{Name(field)}: Forbidden: {message}",
                "FieldValueDuplicate" => $"{Name(field)}: Duplicate value: {Quote(type)}: {message}",
                _ => $"{Name(field)}: Invalid value: {Quote(type)}: {message}",
            });
        }
    }

    /// <summary>messageExpression when it yields a non-empty string, else message, else kube-apiserver's default.</summary>
    private static string Message(JsonObject rule, string text, Dictionary<string, object?> variables)
    {
        if (rule["messageExpression"]?.GetValue<string>() is { Length: > 0 } expression)
        {
            try
            {
                if (CelPrograms.Get(expression)(variables) is string { Length: > 0 } evaluated && !evaluated.Contains('\n')) return evaluated;
            }
            catch (CelException)
            {
                // kube-apiserver falls back to message as well.
            }
        }
        return rule["message"]?.GetValue<string>() is { Length: > 0 } message ? message : $"failed rule: {text}";
    }

    [GeneratedRegex("select field '([^']*)'")]
    private static partial Regex MissingField();

    /// <summary>
    /// CEL's words for a missing field (the package's differ). Other runtime errors keep the package's words; an error
    /// inside <c>||</c> or <c>&amp;&amp;</c> whose other side does not decide comes out as "Could not compare OR values."
    /// </summary>
    private static string RuntimeError(CelException error) =>
        error is CelNoSuchFieldException && MissingField().Match(error.Message) is { Success: true } m ? $"no such key: {m.Groups[1].Value}" : error.Message;

    private static string FieldPath(string path, string? fieldPath) =>
        string.IsNullOrEmpty(fieldPath) ? path : path.Length == 0 ? fieldPath.TrimStart('.') : path + (fieldPath.StartsWith('[') ? "" : ".") + fieldPath.TrimStart('.');

    private static bool MatchesType(JsonNode node, JsonObject schema) => schema["type"]?.GetValue<string>() switch
    {
        "object" => node is JsonObject,
        "array" => node is JsonArray,
        "string" => node.GetValueKind() == JsonValueKind.String,
        "integer" or "number" => node.GetValueKind() == JsonValueKind.Number,
        "boolean" => node.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
        _ => true,
    };

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
    private static string Join(string path, string field) => path.Length == 0 ? field : $"{path}.{field}";
    private static string Name(string path) => path.Length == 0 ? "<root>" : path;
}
