using YamlDotNet.RepresentationModel;

namespace Lineage.Contracts.Config;

/// <summary>
/// Applies <c>a.b.c=value</c> settings onto a YAML/JSON document before it is typed, so every config
/// field can be set from the command line and goes through the same validation as the file.
/// Values are YAML scalars or flow collections (<c>rewards=[{name: accuracy}]</c>).
/// </summary>
public static class ConfigOverrides
{
    public static string Apply(string text, IReadOnlyList<string> overrides, string source)
    {
        var stream = new YamlStream();
        if (!string.IsNullOrWhiteSpace(text)) stream.Load(new StringReader(text));
        var root = stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode m ? m : new YamlMappingNode();
        foreach (var setting in overrides)
        {
            int eq = setting.IndexOf('=');
            if (eq <= 0) throw new ConfigError($"{source}: override '{setting}' must look like field.path=value");
            var path = setting[..eq].Trim().Split('.');
            var node = root;
            for (int i = 0; i < path.Length - 1; i++)
            {
                var key = new YamlScalarNode(path[i]);
                if (!node.Children.TryGetValue(key, out var child) || child is not YamlMappingNode childMap)
                {
                    childMap = new YamlMappingNode();
                    node.Children[key] = childMap;
                }
                node = childMap;
            }
            node.Children[new YamlScalarNode(path[^1])] = ParseValue(setting[(eq + 1)..], setting, source);
        }
        var output = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(output, assignAnchors: false);
        return output.ToString();
    }

    /// <summary>
    /// <paramref name="overlay"/> on top of <paramref name="baseText"/>: mappings merge key by key, anything else
    /// (scalars, lists) in the overlay replaces the base value. Used to start a config from tuned defaults.
    /// </summary>
    public static string Merge(string baseText, string overlay, string source)
    {
        var merged = Root(baseText, "defaults");
        MergeInto(merged, Root(overlay, source));
        var output = new StringWriter();
        new YamlStream(new YamlDocument(merged)).Save(output, assignAnchors: false);
        return output.ToString();
    }

    static YamlMappingNode Root(string text, string source)
    {
        var stream = new YamlStream();
        try { if (!string.IsNullOrWhiteSpace(text)) stream.Load(new StringReader(text)); }
        catch (YamlDotNet.Core.YamlException e) { throw new ConfigError($"{source}: line {e.Start.Line}, column {e.Start.Column}: {e.Message}"); }
        if (stream.Documents.Count == 0) return new YamlMappingNode();
        return stream.Documents[0].RootNode as YamlMappingNode ?? throw new ConfigError($"{source}: the config must be a mapping of fields");
    }

    /// <summary>Fields of which a mapping holds one at most: setting one in the overlay drops the base's other.</summary>
    static readonly (string, string)[] Exclusive = [("task", "path")];

    static void MergeInto(YamlMappingNode target, YamlMappingNode overlay)
    {
        foreach (var (a, b) in Exclusive)
        {
            if (overlay.Children.ContainsKey(new YamlScalarNode(a))) target.Children.Remove(new YamlScalarNode(b));
            if (overlay.Children.ContainsKey(new YamlScalarNode(b))) target.Children.Remove(new YamlScalarNode(a));
        }
        foreach (var (key, value) in overlay.Children)
        {
            if (value is YamlMappingNode child && target.Children.TryGetValue(key, out var existing) && existing is YamlMappingNode existingMap)
                MergeInto(existingMap, child);
            else
                target.Children[key] = value;
        }
    }

    static YamlNode ParseValue(string value, string setting, string source)
    {
        var trimmed = value.Trim();
        if (!trimmed.StartsWith('[') && !trimmed.StartsWith('{')) return new YamlScalarNode(value);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(trimmed));
            return stream.Documents[0].RootNode;
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigError($"{source}: override '{setting}': {e.Message}");
        }
    }
}
