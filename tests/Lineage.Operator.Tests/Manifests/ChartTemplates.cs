using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// The part of Go's text/template and Helm's functions that charts/lineage uses, so tests render the chart as
/// <c>helm template</c> would without a helm binary: actions with <c>{{-</c>/<c>-}}</c> trimming, <c>if</c>/<c>else if</c>/
/// <c>else</c>, <c>with</c>, <c>range</c>, <c>define</c>/<c>include</c>, pipelines, and the functions in <see cref="Call"/>.
/// Anything else is an error naming it, so a template using more fails the tests instead of rendering wrongly.
/// </summary>
sealed partial class ChartTemplates
{
    abstract record Node;
    sealed record Text(string Value) : Node;
    sealed record Output(string Pipeline) : Node;
    sealed record Block(string Keyword, string Pipeline, List<Node> Body, List<Node> Else) : Node;

    readonly Dictionary<string, List<Node>> _defines = [];
    readonly Func<string, string> _files;

    public ChartTemplates(Func<string, string> files) => _files = files;

    /// <summary>Parses a template file, keeping its <c>define</c>s for <c>include</c>; returns its top-level nodes.</summary>
    object Parse(string template)
    {
        var tokens = Tokenize(template);
        var position = 0;
        var nodes = ParseNodes(tokens, ref position, out var end);
        if (end is not null) throw new FormatException($"unexpected {{{{ {end} }}}}");
        return nodes;
    }

    public void Load(string template) => Parse(template);

    public string Render(string template, object? root)
    {
        var nodes = (List<Node>)Parse(template);
        var output = new StringBuilder();
        Execute(nodes, root, root, output);
        return output.ToString();
    }

    // ---- tokens: text and actions, with whitespace trimming applied ----

    static List<(bool Action, string Value)> Tokenize(string template)
    {
        var tokens = new List<(bool, string)>();
        var i = 0;
        var trimNext = false;
        while (i < template.Length)
        {
            var open = template.IndexOf("{{", i, StringComparison.Ordinal);
            var text = open < 0 ? template[i..] : template[i..open];
            if (trimNext) text = text.TrimStart();
            if (open < 0)
            {
                tokens.Add((false, text));
                break;
            }
            var close = template.IndexOf("}}", open, StringComparison.Ordinal);
            if (close < 0) throw new FormatException("unclosed {{");
            var action = template[(open + 2)..close];
            if (action.StartsWith('-') && (action.Length == 1 || char.IsWhiteSpace(action[1]))) { text = text.TrimEnd(); action = action[1..]; }
            trimNext = action.EndsWith('-') && action.Length >= 2 && char.IsWhiteSpace(action[^2]);
            if (trimNext) action = action[..^1];
            tokens.Add((false, text));
            action = action.Trim();
            if (!(action.StartsWith("/*", StringComparison.Ordinal) && action.EndsWith("*/", StringComparison.Ordinal))) tokens.Add((true, action));
            i = close + 2;
        }
        return tokens;
    }

    List<Node> ParseNodes(List<(bool Action, string Value)> tokens, ref int position, out string? end)
    {
        var nodes = new List<Node>();
        while (position < tokens.Count)
        {
            var (isAction, value) = tokens[position++];
            if (!isAction)
            {
                if (value.Length > 0) nodes.Add(new Text(value));
                continue;
            }
            var keyword = value.Split(' ', 2)[0];
            var rest = value.Length > keyword.Length ? value[keyword.Length..].Trim() : "";
            switch (keyword)
            {
                case "end":
                case "else":
                    end = value;
                    return nodes;
                case "if" or "with" or "range":
                    nodes.Add(ParseBlock(keyword, rest, tokens, ref position));
                    break;
                case "define":
                    var body = ParseNodes(tokens, ref position, out var defineEnd);
                    if (defineEnd != "end") throw new FormatException($"define {rest} ends with {defineEnd ?? "nothing"}");
                    _defines[(string)Literal(rest)!] = body;
                    break;
                default:
                    nodes.Add(new Output(value));
                    break;
            }
        }
        end = null;
        return nodes;
    }

    Block ParseBlock(string keyword, string pipeline, List<(bool, string)> tokens, ref int position)
    {
        var body = ParseNodes(tokens, ref position, out var end);
        var otherwise = new List<Node>();
        if (end is not null && end.StartsWith("else if ", StringComparison.Ordinal))
            otherwise.Add(ParseBlock("if", end["else if ".Length..].Trim(), tokens, ref position));
        else if (end == "else")
        {
            otherwise = ParseNodes(tokens, ref position, out end);
            if (end != "end") throw new FormatException($"{keyword} {pipeline}: else ends with {end ?? "nothing"}");
        }
        else if (end != "end") throw new FormatException($"{keyword} {pipeline} is not closed");
        return new Block(keyword, pipeline, body, otherwise);
    }

    // ---- execution ----

    void Execute(List<Node> nodes, object? dot, object? root, StringBuilder output)
    {
        foreach (var node in nodes)
        {
            switch (node)
            {
                case Text t:
                    output.Append(t.Value);
                    break;
                case Output o:
                    output.Append(Print(Evaluate(o.Pipeline, dot, root)));
                    break;
                case Block { Keyword: "if" } b:
                    Execute(Truthy(Evaluate(b.Pipeline, dot, root)) ? b.Body : b.Else, dot, root, output);
                    break;
                case Block { Keyword: "with" } b:
                    var value = Evaluate(b.Pipeline, dot, root);
                    if (Truthy(value)) Execute(b.Body, value, root, output);
                    else Execute(b.Else, dot, root, output);
                    break;
                case Block { Keyword: "range" } b:
                    var items = Evaluate(b.Pipeline, dot, root) switch
                    {
                        IList<object?> list => list,
                        IDictionary<string, object?> map => map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value).ToList(),
                        null => [],
                        var other => throw new FormatException($"range over {other.GetType().Name}"),
                    };
                    if (items.Count == 0) Execute(b.Else, dot, root, output);
                    foreach (var item in items) Execute(b.Body, item, root, output);
                    break;
            }
        }
    }

    object? Evaluate(string pipeline, object? dot, object? root)
    {
        object? result = null;
        var first = true;
        foreach (var command in Split(pipeline, '|'))
        {
            var words = Words(command.Trim());
            var args = words.Skip(1).Select(w => Operand(w, dot, root)).ToList();
            if (!first) args.Add(result);
            first = false;
            var head = words[0];
            result = head == ".Files.Get" ? _files(Print(args[0]))
                : head is [var c, ..] && (char.IsLetter(c)) && head is not ("true" or "false" or "nil")
                ? Call(head, args, dot, root)
                : args.Count == 0 ? Operand(head, dot, root) : throw new FormatException($"'{head}' is not a function in '{pipeline}'");
        }
        return result;
    }

    object? Operand(string word, object? dot, object? root)
    {
        if (word.StartsWith('(')) return Evaluate(word[1..^1], dot, root);
        if (word.StartsWith('"')) return Literal(word);
        if (word is "true" or "false") return word == "true";
        if (word == "nil") return null;
        if (long.TryParse(word, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
        if (word == ".") return dot;
        if (word.StartsWith('.')) return Field(dot, word[1..]);
        if (word == "$") return root;
        if (word.StartsWith("$.", StringComparison.Ordinal)) return Field(root, word[2..]);
        if (word is [var c, ..] && char.IsLetter(c)) return Call(word, [], dot, root);
        throw new FormatException($"cannot evaluate '{word}'");
    }

    static object? Field(object? value, string path)
    {
        foreach (var name in path.Split('.'))
            value = value is IDictionary<string, object?> map ? map.TryGetValue(name, out var v) ? v : null
                : value is null ? null : throw new FormatException($"field {name} of a {value.GetType().Name}");
        return value;
    }

    object? Call(string name, List<object?> args, object? dot, object? root)
    {
        string S(int i) => Print(args[i]);
        int I(int i) => Convert.ToInt32(args[i], CultureInfo.InvariantCulture);
        return name switch
        {
            "include" => Include(S(0), args[1]),
            "nindent" => "\n" + Indent(I(0), S(1)),
            "indent" => Indent(I(0), S(1)),
            "toYaml" => ToYaml(args[0]),
            "toJson" => System.Text.Json.JsonSerializer.Serialize(args[0]),
            "quote" => System.Text.Json.JsonSerializer.Serialize(S(0)),
            "default" => Truthy(args[^1]) && args.Count > 1 ? args[^1] : args[0],
            "required" => Truthy(args[1]) ? args[1] : throw new FormatException(S(0)),
            "printf" => Printf(S(0), args.Skip(1).ToList()),
            "contains" => S(1).Contains(S(0), StringComparison.Ordinal),
            "trunc" => S(1).Length > I(0) ? S(1)[..I(0)] : S(1),
            "trimSuffix" => S(1).EndsWith(S(0), StringComparison.Ordinal) ? S(1)[..^S(0).Length] : S(1),
            "eq" => args.Skip(1).Any(a => Equals(Print(a), S(0))),
            "ne" => !Equals(Print(args[1]), S(0)),
            "and" => args.All(Truthy),
            "or" => args.FirstOrDefault(Truthy) ?? args[^1],
            "not" => !Truthy(args[0]),
            "empty" => !Truthy(args[0]),
            "has" => ((IList<object?>?)args[1] ?? []).Any(a => Print(a) == S(0)),
            "replace" => S(2).Replace(S(0), S(1), StringComparison.Ordinal),
            "join" => string.Join(S(0), ((IList<object?>)args[1]!).Select(Print)),
            "fail" => throw new FormatException(S(0)),
            _ => throw new FormatException($"function {name} is not supported by the test renderer"),
        };
    }

    string Include(string name, object? dot)
    {
        if (!_defines.TryGetValue(name, out var body)) throw new FormatException($"no template named {name}");
        var output = new StringBuilder();
        Execute(body, dot, dot, output);
        return output.ToString();
    }

    static string Indent(int n, string text) => string.Join('\n', text.Split('\n').Select(l => new string(' ', n) + l));

    static string Printf(string format, List<object?> args)
    {
        var index = 0;
        return PrintfVerb().Replace(format, _ => Print(args[index++]));
    }

    static string ToYaml(object? value)
    {
        var yaml = new YamlDotNet.Serialization.SerializerBuilder().Build().Serialize(value ?? new Dictionary<string, object?>());
        return yaml.TrimEnd('\n');
    }

    static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        string s => s.Length > 0,
        long n => n != 0,
        double d => d != 0,
        System.Collections.ICollection c => c.Count > 0,
        _ => true,
    };

    static string Print(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    static object? Literal(string word) => System.Text.Json.JsonSerializer.Deserialize<string>(word);

    /// <summary>Splits on <paramref name="separator"/> outside quotes and parentheses.</summary>
    static List<string> Split(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted) { if (c == '\\') i++; else if (c == '"') quoted = false; continue; }
            if (c == '"') quoted = true;
            else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == separator && depth == 0) { parts.Add(text[start..i]); start = i + 1; }
        }
        parts.Add(text[start..]);
        return parts;
    }

    static List<string> Words(string command) => Split(command, ' ').Select(w => w.Trim()).Where(w => w.Length > 0).ToList();

    [GeneratedRegex("%[sdv]")]
    private static partial Regex PrintfVerb();
}
