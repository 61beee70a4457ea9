using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Serialization;

namespace Lineage.Operator.Tests.Manifests;

/// <summary>
/// charts/lineage rendered as <c>helm template lineage charts/lineage -n NAMESPACE --set …</c> would (there is no helm
/// binary here: <see cref="ChartTemplates"/> executes the templates), as the JSON objects the API server would receive.
/// </summary>
sealed class RenderedChart
{
    public const string ReleaseName = "lineage";
    static readonly IDeserializer Yaml = new DeserializerBuilder().WithAttemptingUnquotedStringTypeDeserialization().Build();

    RenderedChart(IReadOnlyList<JsonObject> objects, string releaseNamespace, IReadOnlyDictionary<string, object?> values)
    {
        Objects = objects;
        ReleaseNamespace = releaseNamespace;
        Values = values;
    }

    public IReadOnlyList<JsonObject> Objects { get; }
    public string ReleaseNamespace { get; }
    public IReadOnlyDictionary<string, object?> Values { get; }

    public static string Folder(params string[] parts) => RepoRoot.File(["charts", "lineage", .. parts]);

    /// <summary>Renders every template with values.yaml overridden by <paramref name="set"/> (dotted paths, as --set).</summary>
    public static RenderedChart Render(string releaseNamespace = "lineage-system", params (string Path, object? Value)[] set)
    {
        var values = (Dictionary<string, object?>)Plain(Yaml.Deserialize<object>(File.ReadAllText(Folder("values.yaml"))))!;
        foreach (var (path, value) in set)
        {
            var parts = path.Split('.');
            var map = values;
            foreach (var part in parts[..^1])
            {
                if (map.GetValueOrDefault(part) is not Dictionary<string, object?> next) map[part] = next = [];
                map = next;
            }
            map[parts[^1]] = Plain(value);
        }
        var chart = (Dictionary<string, object?>)Plain(Yaml.Deserialize<object>(File.ReadAllText(Folder("Chart.yaml"))))!;
        var root = new Dictionary<string, object?>
        {
            ["Values"] = values,
            ["Release"] = new Dictionary<string, object?> { ["Name"] = ReleaseName, ["Namespace"] = releaseNamespace, ["Service"] = "Helm" },
            ["Chart"] = new Dictionary<string, object?> { ["Name"] = chart["name"], ["Version"] = chart["version"], ["AppVersion"] = chart["appVersion"] },
        };
        var templates = new ChartTemplates(file => File.ReadAllText(Folder(file)));
        var files = Directory.GetFiles(Folder("templates")).Order().ToList();
        foreach (var helper in files.Where(f => Path.GetFileName(f).StartsWith('_'))) templates.Load(File.ReadAllText(helper));
        var objects = new List<JsonObject>();
        foreach (var file in files.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            var text = templates.Render(File.ReadAllText(file), root);
            foreach (var document in text.Split("\n---"))
            {
                if (Yaml.Deserialize<object>(document) is not { } graph) continue;
                objects.Add(JsonNode.Parse(JsonSerializer.Serialize(graph))!.AsObject());
            }
        }
        return new RenderedChart(objects, releaseNamespace, values);
    }

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => (string?)o["kind"] == kind);

    public JsonObject Single(string kind) => OfKind(kind).Single();

    /// <summary>YamlDotNet's object graph as plain maps, lists and typed scalars (what Go templates see).</summary>
    static object? Plain(object? value) => value switch
    {
        IDictionary<object, object?> map => map.ToDictionary(kv => kv.Key.ToString()!, kv => Plain(kv.Value)),
        IDictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => Plain(kv.Value)),
        string s => s,
        System.Collections.IEnumerable list => list.Cast<object?>().Select(Plain).ToList(),
        int i => (long)i,
        _ => value,
    };
}
