using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Lineage.Operator.Local;

/// <summary>
/// YAML manifests read the way kubectl reads them (YAML 1.1 scalars, as sigs.k8s.io/yaml does): an unquoted y, n, yes,
/// no, on or off is a boolean — as a key too — so a manifest means the same here as under <c>kubectl apply</c>.
/// </summary>
public static partial class Yaml11
{
    /// <summary>Every non-empty document of a YAML stream as JSON; errors name the source and line.</summary>
    public static IReadOnlyList<JsonObject> Documents(string text, string source)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(text)); }
        catch (YamlException e) { throw new FormatException($"{source}: line {e.Start.Line}: {e.InnerException?.Message ?? e.Message}", e); }
        var documents = new List<JsonObject>();
        foreach (var (document, index) in stream.Documents.Select((d, i) => (d, i + 1)))
        {
            var node = ToJson(document.RootNode);
            if (node is null) continue;
            documents.Add(node as JsonObject ?? throw new FormatException($"{source}: document {index} is not a mapping (an object with apiVersion and kind)"));
        }
        return documents;
    }

    static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => ToObject(map),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new FormatException($"line {node.Start.Line}: YAML aliases and tags are not supported in manifests"),
    };

    static JsonObject ToObject(YamlMappingNode map)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            // A key is a scalar resolved like any other: the YAML 1.1 key `n` is the boolean false, written "false".
            var name = key is YamlScalarNode s ? Scalar(s)?.ToJsonString().Trim('"') ?? "null" : throw new FormatException($"line {key.Start.Line}: a mapping key must be a scalar");
            obj[name] = ToJson(value);
        }
        return obj;
    }

    static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain) return JsonValue.Create(text);
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        if (Bool().IsMatch(text)) return JsonValue.Create(text[0] is 'y' or 'Y' or 't' or 'T' || text is "on" or "On" or "ON");
        var digits = text.Replace("_", "", StringComparison.Ordinal);
        if (Decimal().IsMatch(digits) && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)) return JsonValue.Create(integer);
        if (Octal().IsMatch(digits)) return JsonValue.Create(Convert.ToInt64(digits.TrimStart('-', '+'), 8) * (digits[0] == '-' ? -1 : 1));
        if (Hex().IsMatch(digits)) return JsonValue.Create(Convert.ToInt64(digits[(digits.IndexOf('x') + 1)..], 16) * (digits[0] == '-' ? -1 : 1));
        if (Float().IsMatch(digits) && double.TryParse(digits, NumberStyles.Float, CultureInfo.InvariantCulture, out var real)) return JsonValue.Create(real);
        return JsonValue.Create(text);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Bool();
    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex Decimal();
    [GeneratedRegex("^[-+]?0[0-7]+$")]
    private static partial Regex Octal();
    [GeneratedRegex("^[-+]?0x[0-9a-fA-F]+$")]
    private static partial Regex Hex();
    [GeneratedRegex(@"^[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
