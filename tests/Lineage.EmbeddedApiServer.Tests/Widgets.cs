using System.Text.Json;
using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>Typed calls for Widgets through KubernetesClient's CustomObjects API (what an operator would use).</summary>
public sealed class Widgets(IKubernetes client, string ns = "default")
{
    public async Task<Widget> Create(Widget widget) =>
        As<Widget>(await client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Widget.Group, Widget.Version, ns, Widget.Plural));

    public async Task<Widget> Get(string name) =>
        As<Widget>(await client.CustomObjects.GetNamespacedCustomObjectAsync(Widget.Group, Widget.Version, ns, Widget.Plural, name));

    public async Task<WidgetList> List(string? labelSelector = null, string? fieldSelector = null) =>
        As<WidgetList>(await client.CustomObjects.ListNamespacedCustomObjectAsync(Widget.Group, Widget.Version, ns, Widget.Plural,
            labelSelector: labelSelector, fieldSelector: fieldSelector));

    public async Task<Widget> Replace(Widget widget) =>
        As<Widget>(await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(widget, Widget.Group, Widget.Version, ns, Widget.Plural, widget.Metadata.Name));

    public async Task<Widget> ReplaceStatus(Widget widget) =>
        As<Widget>(await client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync(widget, Widget.Group, Widget.Version, ns, Widget.Plural, widget.Metadata.Name));

    public async Task<Widget> Patch(string name, object patch, V1Patch.PatchType type = V1Patch.PatchType.MergePatch) =>
        As<Widget>(await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch, type), Widget.Group, Widget.Version, ns, Widget.Plural, name));

    public async Task<Widget> PatchStatus(string name, object patch, V1Patch.PatchType type = V1Patch.PatchType.MergePatch) =>
        As<Widget>(await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch, type), Widget.Group, Widget.Version, ns, Widget.Plural, name));

    public async Task<Widget> Delete(string name, string? propagationPolicy = null) =>
        As<Widget>(await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, Widget.Version, ns, Widget.Plural, name,
            propagationPolicy: propagationPolicy));

    public static T As<T>(object body) => KubernetesJson.Deserialize<T>(((JsonElement)body).GetRawText());
}
