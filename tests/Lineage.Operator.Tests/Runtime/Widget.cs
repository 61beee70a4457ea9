using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace Lineage.Operator.Tests.Runtime;

/// <summary>A tiny custom kind for runtime tests, so they do not depend on the operator's own API types.</summary>
[KubernetesEntity(Group = "test.lineage.dev", ApiVersion = "v1", Kind = "Widget", PluralName = "widgets")]
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public const string Api = "test.lineage.dev/v1";

    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = Api;
    [JsonPropertyName("kind")] public string Kind { get; set; } = "Widget";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public WidgetSpec Spec { get; set; } = new();
    [JsonPropertyName("status")] public WidgetStatus? Status { get; set; }

    public static Widget Named(string ns, string name, int size = 1, string? parent = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new WidgetSpec { Size = size, Parent = parent },
    };
}

public sealed class WidgetSpec
{
    [JsonPropertyName("size")] public int Size { get; set; }
    [JsonPropertyName("parent")] public string? Parent { get; set; }
}

public sealed class WidgetStatus
{
    [JsonPropertyName("observedSize")] public int ObservedSize { get; set; }
    [JsonPropertyName("phase")] public string? Phase { get; set; }
    [JsonPropertyName("writes")] public int Writes { get; set; }
}
