using System.Text.Json.Serialization;
using k8s.Models;

namespace Lineage.Operator.Runtime;

/// <summary>The wire shape of any list response (<c>items</c> plus list metadata with the resourceVersion).</summary>
internal sealed class ResourceList<T>
{
    [JsonPropertyName("metadata")] public V1ListMeta? Metadata { get; set; }
    [JsonPropertyName("items")] public List<T>? Items { get; set; }
}
