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
