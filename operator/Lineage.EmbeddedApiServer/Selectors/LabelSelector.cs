using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Selectors;

/// <summary>
/// A parsed <c>labelSelector</c> query: comma-separated requirements, all of which must hold.
/// Grammar as kube-apiserver: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k in (a,b)</c>,
/// <c>k notin (a,b)</c>, <c>k</c>, <c>!k</c>.
/// </summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => Requirements.All(r => r.Matches(labels));

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        return new LabelSelector(SplitClauses(text).Select(ParseClause).ToList());
    }

    /// <summary>Splits on commas that are not inside a value set's parentheses.</summary>
    private static IEnumerable<string> SplitClauses(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static LabelRequirement ParseClause(string raw)
    {
        var clause = raw.Trim();
        if (clause.Length == 0) throw Invalid(raw, "empty requirement");
        if (clause.StartsWith('!'))
            return new LabelRequirement(Key(clause[1..], raw), LabelOperator.DoesNotExist, []);

        foreach (var (token, op) in new[] { ("!=", LabelOperator.NotEquals), ("==", LabelOperator.Equals), ("=", LabelOperator.Equals) })
        {
            var at = clause.IndexOf(token, StringComparison.Ordinal);
            if (at < 0) continue;
            var value = clause[(at + token.Length)..].Trim();
            return new LabelRequirement(Key(clause[..at], raw), op, [Value(value, raw)]);
        }

        var setAt = clause.IndexOf('(');
        if (setAt >= 0)
        {
            if (!clause.EndsWith(')')) throw Invalid(raw, "missing ')'");
            var head = clause[..setAt].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (head.Length != 2) throw Invalid(raw, "expected 'key in (values)' or 'key notin (values)'");
            var op = head[1] switch
            {
                "in" => LabelOperator.In,
                "notin" => LabelOperator.NotIn,
                _ => throw Invalid(raw, $"unknown operator '{head[1]}'"),
            };
            var values = clause[(setAt + 1)..^1].Split(',').Select(v => Value(v.Trim(), raw)).ToList();
            return new LabelRequirement(Key(head[0], raw), op, values);
        }

        return new LabelRequirement(Key(clause, raw), LabelOperator.Exists, []);
    }

    private static string Key(string key, string clause)
    {
        key = key.Trim();
        if (key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '=' or ','))
            throw Invalid(clause, $"invalid label key '{key}'");
        return key;
    }

    private static string Value(string value, string clause)
    {
        if (value.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or '!' or '=' or ','))
            throw Invalid(clause, $"invalid label value '{value}'");
        return value;
    }

    private static ApiException Invalid(string clause, string why) =>
        ApiException.BadRequest($"unable to parse requirement \"{clause.Trim()}\" in labelSelector: {why}");
}
