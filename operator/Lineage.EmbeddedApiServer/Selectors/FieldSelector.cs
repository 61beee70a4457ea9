using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Selectors;

/// <summary>
/// A parsed <c>fieldSelector</c>: <c>path=value</c>, <c>path==value</c>, <c>path!=value</c>, comma-separated.
/// A custom kind answers only the labels kube-apiserver gives it (<see cref="SupportedBy"/>); a built-in kind
/// here answers any dotted path (the real server accepts a few per kind, always <c>metadata.name</c>).
/// A path's value is its text: an absent field is "", a boolean or integer as written in JSON.
/// </summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private readonly IReadOnlyList<(string[] Path, bool Equal, string Value)> terms;

    private FieldSelector(IReadOnlyList<(string[] Path, bool Equal, string Value)> terms) => this.terms = terms;

    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var terms = new List<(string[], bool, string)>();
        foreach (var raw in text.Split(','))
        {
            var clause = raw.Trim();
            var (at, length, equal) = Operator(clause);
            var path = clause[..at].Trim();
            if (path.Length == 0) throw ApiException.BadRequest($"invalid field selector \"{clause}\": empty field path");
            terms.Add((path.Split('.'), equal, clause[(at + length)..].Trim()));
        }
        return new FieldSelector(terms);
    }

    /// <summary>
    /// kube-apiserver's field label check for a custom kind: <c>metadata.name</c>, <c>metadata.namespace</c> (namespaced
    /// kinds only) and the CRD version's selectableFields; anything else is 400 <c>field label not supported: …</c>.
    /// </summary>
    public FieldSelector SupportedBy(ResourceType type)
    {
        if (type.SelectableFields is not { } selectable) return this;
        foreach (var (path, _, _) in terms)
        {
            var label = string.Join('.', path);
            var supported = label == "metadata.name" || label == "metadata.namespace" && type.Namespaced || selectable.Contains(label);
            if (!supported) throw ApiException.BadRequest($"field label not supported: {label}");
        }
        return this;
    }

    public bool Matches(StoredObject obj)
    {
        if (terms.Count == 0) return true;
        JsonObject? parsed = null;
        foreach (var (path, equal, value) in terms)
        {
            var actual = path switch
            {
                ["metadata", "name"] => obj.Name,
                ["metadata", "namespace"] => obj.Namespace,
                _ => ValueAt(parsed ??= obj.MutableCopy(), path),
            };
            if ((actual == value) != equal) return false;
        }
        return true;
    }

    private static (int At, int Length, bool Equal) Operator(string clause)
    {
        var notEqual = clause.IndexOf("!=", StringComparison.Ordinal);
        if (notEqual >= 0) return (notEqual, 2, false);
        var doubleEqual = clause.IndexOf("==", StringComparison.Ordinal);
        if (doubleEqual >= 0) return (doubleEqual, 2, true);
        var equal = clause.IndexOf('=');
        if (equal >= 0) return (equal, 1, true);
        throw ApiException.BadRequest($"invalid field selector \"{clause}\": expected path=value, path==value or path!=value");
    }

    private static string ValueAt(JsonObject obj, string[] path)
    {
        JsonNode? node = obj;
        foreach (var segment in path) node = node is JsonObject o ? o[segment] : null;
        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            _ => node.ToJsonString(),
        };
    }
}
