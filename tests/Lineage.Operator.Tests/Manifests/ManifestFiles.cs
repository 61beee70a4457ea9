using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>YAML documents as JSON trees with typed scalars, the way the API server receives them from kubectl.</summary>
static class ManifestFiles
{
    static readonly IDeserializer Yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    public static IEnumerable<(string File, JsonObject Document)> Load(string folder) =>
        Directory.GetFiles(folder, "*.yaml").Order().SelectMany(file =>
        {
            var parser = new YamlDotNet.Core.Parser(new StringReader(File.ReadAllText(file)));
            parser.Consume<YamlDotNet.Core.Events.StreamStart>();
            var documents = new List<(string, JsonObject)>();
            while (parser.Accept<YamlDotNet.Core.Events.DocumentStart>(out _))
            {
                var graph = Yaml.Deserialize<object>(parser);
                if (graph is not null) documents.Add((Path.GetFileName(file), JsonNode.Parse(JsonSerializer.Serialize(graph))!.AsObject()));
            }
            return documents;
        });
}
