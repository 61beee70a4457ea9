using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Lineage.Contracts.Config;

/// <summary>
/// A config rendered as YAML without YamlDotNet's serializer, for the configs whose every key and string is plain
/// (letters, digits and <c>_ . / - + &lt; &gt; = :</c>, no spaces) or empty: the text YamlDotNet writes for them, byte
/// for byte (block mappings, sequences at their key's indent, <c>[]</c> and <c>{}</c> when empty, <c>""</c>). The operator renders a
/// config per Job and per check of a spec, and YamlDotNet's reflection walk took ~0.2–0.9 ms a config: most of the
/// operator's rendering time (docs/benchmarks/operator.md). Anything else (a quoted string, a null in a list, a list
/// in a list) returns null, and <see cref="ConfigLoader.ToYaml"/> uses YamlDotNet.
/// </summary>
static class PlainYaml
{
    static readonly JsonSerializerOptions Options = new()
    {
        // What the YAML serializer writes: camelCase names (no config has an acronym, where the two conventions
        // differ), null properties left out, declaration order.
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string? TryRender(object config)
    {
        JsonNode? node;
        try
        {
            node = JsonSerializer.SerializeToNode(config, config.GetType(), Options);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or JsonException)
        {
            return null; // e.g. NaN, which JSON cannot write: YamlDotNet can
        }
        if (node is not JsonObject root) return null;
        var yaml = new StringBuilder(1024);
        return root.Count > 0 && Mapping(root, 0, firstPrefix: null, yaml) ? yaml.ToString() : null; // no config is empty: not guessed
    }

    /// <summary>A block mapping at <paramref name="indent"/>; as a list item, <paramref name="firstPrefix"/> (<c>"- "</c> at the list's indent) starts its first line.</summary>
    static bool Mapping(JsonObject mapping, int indent, string? firstPrefix, StringBuilder yaml)
    {
        var first = true;
        foreach (var (key, value) in mapping)
        {
            if (!IsPlain(key, isKey: true)) return false;
            if (first && firstPrefix is not null) yaml.Append(' ', indent - 2).Append(firstPrefix);
            else yaml.Append(' ', indent);
            first = false;
            yaml.Append(key).Append(':');
            switch (value)
            {
                case JsonObject { Count: 0 }:
                    yaml.Append(" {}\n");
                    break;
                case JsonObject child:
                    yaml.Append('\n');
                    if (!Mapping(child, indent + 2, null, yaml)) return false;
                    break;
                case JsonArray { Count: 0 }:
                    yaml.Append(" []\n");
                    break;
                case JsonArray list:
                    yaml.Append('\n');
                    if (!Sequence(list, indent, yaml)) return false;
                    break;
                default:
                    yaml.Append(' ');
                    if (!Scalar(value, yaml)) return false;
                    yaml.Append('\n');
                    break;
            }
        }
        return true;
    }

    /// <summary>A block sequence: YamlDotNet writes its dashes at the indent of the key that holds it.</summary>
    static bool Sequence(JsonArray list, int indent, StringBuilder yaml)
    {
        foreach (var item in list)
        {
            switch (item)
            {
                case JsonObject { Count: 0 }:
                    yaml.Append(' ', indent).Append("- {}\n");
                    break;
                case JsonObject mapping:
                    if (!Mapping(mapping, indent + 2, "- ", yaml)) return false;
                    break;
                case JsonArray:
                    return false;
                default:
                    yaml.Append(' ', indent).Append("- ");
                    if (!Scalar(item, yaml)) return false;
                    yaml.Append('\n');
                    break;
            }
        }
        return true;
    }

    static bool Scalar(JsonNode? node, StringBuilder yaml)
    {
        if (node is not JsonValue value) return false;
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                var text = value.GetValue<string>();
                if (text.Length == 0) yaml.Append("\"\""); // as YamlDotNet writes an empty string
                else if (IsPlain(text)) yaml.Append(text);
                else return false;
                return true;
            case JsonValueKind.Number:
                // .NET's shortest round-trip form, as YamlDotNet formats numbers ("1E-06", "0.95", "200").
                yaml.Append(value.ToJsonString());
                return true;
            case JsonValueKind.True:
                yaml.Append("true");
                return true;
            case JsonValueKind.False:
                yaml.Append("false");
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// A string YamlDotNet writes without quotes and reads back as the same string: not empty, no spaces, starting with
    /// a letter, a digit, <c>/ &lt; _ .</c> (not <c>&lt;&lt;</c>, a merge key), not ending in <c>:</c>, nothing a YAML reader
    /// would take for a number, a boolean or null. A key (<paramref name="isKey"/>) is written plain even when it reads
    /// as a YAML 1.1 boolean (<c>n</c>, SampleConfig's count), as YamlDotNet writes it and the trainer reads it back.
    /// </summary>
    static bool IsPlain(string text, bool isKey = false)
    {
        if (text.Length == 0 || !(char.IsAsciiLetterOrDigit(text[0]) || text[0] is '/' or '<' or '_' or '.') || text[^1] == ':' || text.StartsWith("<<", StringComparison.Ordinal))
            return false;
        foreach (var c in text)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '/' or '-' or '+' or '<' or '>' or '=' or ':')) return false;
        return isKey ? !char.IsAsciiDigit(text[0]) : !LooksTyped(text);
    }

    /// <summary>Plain text a YAML reader would take for a number, a boolean or null: left to YamlDotNet, which knows how it writes those.</summary>
    static bool LooksTyped(string text) =>
        char.IsAsciiDigit(text[0]) || text[0] is '+' or '.' && text.Length > 1 && char.IsAsciiDigit(text[1])
        || text.ToLowerInvariant() is "true" or "false" or "yes" or "no" or "on" or "off" or "y" or "n" or "null" or "nan" or "inf" or ".nan" or ".inf";
}
