using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>The test custom kind (crds/widgets.yaml): spec and status are free-form.</summary>
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public const string Group = "test.lineage.dev";
    public const string Version = "v1";
    public const string Plural = "widgets";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = $"{Group}/{Version}";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Widget";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public WidgetSpec? Spec { get; set; }
    [JsonPropertyName("status")] public WidgetStatus? Status { get; set; }

    public static Widget Named(string name, int size = 1, IDictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Spec = new WidgetSpec { Size = size },
    };
}

public sealed class WidgetSpec
{
    [JsonPropertyName("size")] public int Size { get; set; }
    [JsonPropertyName("color")] public string? Color { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("observedGeneration")] public long? ObservedGeneration { get; set; }
}

public sealed class WidgetList : IKubernetesObject<V1ListMeta>, IItems<Widget>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ListMeta Metadata { get; set; } = new();
    [JsonPropertyName("items")] public IList<Widget> Items { get; set; } = [];
}
