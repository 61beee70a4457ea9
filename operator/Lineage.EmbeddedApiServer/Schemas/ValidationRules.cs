using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using Lineage.EmbeddedApiServer.Cel;

namespace Lineage.EmbeddedApiServer.Schemas;

/// <summary>
/// The CRD's CEL validation rules (<c>x-kubernetes-validations</c> at any depth), run after defaulting as
/// kube-apiserver does, with its wording: <c>spec: Invalid value: "object": set exactly one of parent or base</c>.
/// <c>self</c> is the value the rule sits on. On an update, a rule that uses <c>oldSelf</c> (a transition rule) runs
/// where the value has a correlated stored one (<see cref="Prior"/>), with <c>oldSelf</c> bound to it, and is never
/// ratcheted; on a value equal to its stored one the other rules' failures are warnings (CRDValidationRatcheting), and
/// they are not run at all when the stored object is known to satisfy the schema.
/// </summary>
internal static partial class ValidationRules
{
    /// <summary>Whether a schema node or anything below it has a transition rule: those run even on unchanged values.</summary>
    static readonly ConditionalWeakTable<JsonObject, StrongBox<bool>> TransitionRulesBelow = new();

    public static void Validate(JsonNode? node, JsonObject schema, string path, List<string> errors, Prior prior = default, Ratcheting? ratchet = null)
    {
        if (node is null || !MatchesType(node, schema)) return;
        var unchanged = ratchet is not null && prior.Unchanged(node);
        if (unchanged && ratchet!.StoredIsValid && !HasTransitionRulesBelow(schema)) return;
        switch (node)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                foreach (var (key, value) in obj)
                {
                    if (properties?[key] is JsonObject propertySchema) Validate(value, propertySchema, Join(path, key), errors, prior.Property(key), ratchet);
                    else if (schema["additionalProperties"] is JsonObject valueSchema) Validate(value, valueSchema, Join(path, key), errors, prior.Property(key), ratchet);
                }
                break;
            case JsonArray array when schema["items"] is JsonObject itemSchema:
                for (var i = 0; i < array.Count; i++) Validate(array[i], itemSchema, $"{path}[{i}]", errors, prior.Item(schema, array[i]), ratchet);
                break;
        }
        if (schema["x-kubernetes-validations"] is JsonArray rules) Check(node, schema, rules, path, errors, prior, unchanged ? ratchet : null);
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

    /// <param name="ratchet">Set when the value is unchanged: then failures of rules without oldSelf are forgiven.</param>
    private static void Check(JsonNode node, JsonObject schema, JsonArray rules, string path, List<string> errors, Prior prior, Ratcheting? ratchet)
    {
        object? self = null, oldSelf = null;
        string? json = null;
        var type = schema["type"]?.GetValue<string>() ?? "object";
        foreach (var ruleNode in rules.OfType<JsonObject>())
        {
            var rule = ruleNode["rule"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(rule)) continue;
            var refusals = errors;
            var transition = UsesOldSelf(rule);
            if (transition)
            {
                // As kube-apiserver: transition rules run only when there is a stored value to compare with.
                if (!prior.Exists) continue;
            }
            else if (ratchet is not null)
            {
                if (ratchet.StoredIsValid) continue;
                refusals = ratchet.Warnings;
            }
            (JsonObject Schema, string Rule, string Self)? passed = transition ? null : (schema, rule, json ??= node.ToJsonString());
            if (passed is { } known && Passed.ContainsKey(known)) continue;
            var variables = new Dictionary<string, object?> { ["self"] = self ??= CelValues.Of(node, schema) };
            if (transition) variables["oldSelf"] = oldSelf ??= CelValues.Of(prior.Value, schema);
            var before = refusals.Count;
            var errorsBefore = errors.Count;
            Evaluate(ruleNode, rule, variables, type, path, errors, refusals);
            if (refusals != errors && refusals.Count > before) ratchet!.Forgave = true;
            if (passed is { } pass && refusals.Count == before && errors.Count == errorsBefore && pass.Self.Length <= MaxPassedJson)
            {
                if (Passed.Count >= MaxPassed) Passed.Clear();
                Passed.TryAdd(pass, true);
            }
        }
    }

    /// <summary>
    /// Rules without <c>oldSelf</c> known to hold for a value (by schema node, rule and the value's JSON): a rule's result
    /// depends on nothing else, and the same small parts (a data config, a sampling block) come with object after
    /// object, where the Cel package's evaluation was a quarter of a create's cost. Bounded; only passes are kept, so a
    /// failing rule is evaluated each time and words its message from the value.
    /// </summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(JsonObject Schema, string Rule, string Self), bool> Passed = new();
    const int MaxPassed = 2048;
    const int MaxPassedJson = 1024;

    /// <summary>Runs one rule: a runtime error goes to <paramref name="errors"/> (kube-apiserver never ratchets those), a false result to <paramref name="refusals"/>.</summary>
    private static void Evaluate(JsonObject ruleNode, string rule, Dictionary<string, object?> variables, string type, string path, List<string> errors, List<string> refusals)
    {
        var field = FieldPath(path, ruleNode["fieldPath"]?.GetValue<string>());
        object? result;
        try
        {
            result = CelPrograms.Get(rule)(variables);
        }
        catch (CelException error)
        {
            errors.Add($"{Name(path)}: Invalid value: {Quote(type)}: {RuntimeError(error)} evaluating rule: {rule}");
            return;
        }
        if (result is true) return;
        if (result is not false)
        {
            errors.Add($"{Name(field)}: Invalid value: {Quote(type)}: rule did not evaluate to a bool: {rule}");
            return;
        }
        var message = Message(ruleNode, rule, variables);
        refusals.Add(ruleNode["reason"]?.GetValue<string>() switch
        {
            "FieldValueRequired" => $"{Name(field)}: Required value: {message}",
            "FieldValueForbidden" => $"{Name(field)}: Forbidden: {message}",
            "FieldValueDuplicate" => $"{Name(field)}: Duplicate value: {Quote(type)}: {message}",
            _ => $"{Name(field)}: Invalid value: {Quote(type)}: {message}",
        });
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

    private static bool HasTransitionRulesBelow(JsonObject schema) => TransitionRulesBelow.GetValue(schema, s => new StrongBox<bool>(
        s["x-kubernetes-validations"] is JsonArray rules && rules.Any(r => r?["rule"]?.GetValue<string>() is { } text && UsesOldSelf(text))
        || s["properties"] is JsonObject properties && properties.Any(p => p.Value is JsonObject child && HasTransitionRulesBelow(child))
        || s["additionalProperties"] is JsonObject additional && HasTransitionRulesBelow(additional)
        || s["items"] is JsonObject items && HasTransitionRulesBelow(items))).Value;

    private static bool UsesOldSelf(string rule) => OldSelf().IsMatch(rule);

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

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
