using k8s;
using System.Text.Json;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class StatusSubresourceTests : ServerTest
{
    [Fact]
    public async Task Create_drops_status_when_the_kind_has_a_status_subresource()
    {
        var widget = Widget.Named("w");
        widget.Status = new WidgetStatus { Phase = "Faked" };

        Assert.Null((await Widgets.Create(widget)).Status);
    }

    [Fact]
    public async Task Replace_of_the_object_ignores_status()
    {
        var widget = await Widgets.Create(Widget.Named("w"));
        widget.Status = new WidgetStatus { Phase = "Faked" };
        widget.Spec!.Size = 4;

        var updated = await Widgets.Replace(widget);

        Assert.Null(updated.Status);
        Assert.Equal(4, updated.Spec!.Size);
    }

    [Fact]
    public async Task Replace_of_status_changes_only_status()
    {
        var widget = await Widgets.Create(Widget.Named("w", size: 1));
        widget.Status = new WidgetStatus { Phase = "Ready", ObservedGeneration = 1 };
        widget.Spec!.Size = 100;
        widget.Metadata.Labels = new Dictionary<string, string> { ["sneaky"] = "yes" };

        var updated = await Widgets.ReplaceStatus(widget);

        Assert.Equal("Ready", updated.Status!.Phase);
        Assert.Equal(1, updated.Spec!.Size);
        Assert.Null(updated.Metadata.Labels);
        Assert.Equal(1, updated.Metadata.Generation);
        Assert.NotEqual(widget.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_patch_of_status_changes_only_status_and_leaves_the_rest_byte_for_byte()
    {
        var created = await Widgets.Create(Widget.Named("w", size: 1));
        using var http = new HttpClient { BaseAddress = Server.Url };
        var url = $"apis/{Widget.Group}/{Widget.Version}/namespaces/default/{Widget.Plural}/w";
        var before = await http.GetStringAsync(url);

        // The server's own patched copy is kept only when nothing but status differs; here spec and labels differ too.
        using var sneaky = new StringContent("""{"spec":{"size":100},"metadata":{"labels":{"sneaky":"yes"}},"status":{"phase":"Ready"}}""",
            System.Text.Encoding.UTF8, "application/merge-patch+json");
        (await http.PatchAsync($"{url}/status", sneaky)).EnsureSuccessStatusCode();
        var after = System.Text.Json.Nodes.JsonNode.Parse(await http.GetStringAsync(url))!.AsObject();

        Assert.Equal("Ready", after["status"]!["phase"]!.GetValue<string>());
        var expected = System.Text.Json.Nodes.JsonNode.Parse(before)!.AsObject();
        foreach (var part in new[] { after, expected })
        {
            part.Remove("status");
            part["metadata"]!.AsObject().Remove("resourceVersion");
            part["metadata"]!.AsObject().Remove("managedFields");
        }
        Assert.Equal(expected.ToJsonString(), after.ToJsonString());
        Assert.Equal(created.Metadata.Generation, after["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public async Task Status_writes_are_conflict_checked_too()
    {
        var stale = await Widgets.Create(Widget.Named("w"));
        await Widgets.PatchStatus("w", new { status = new { phase = "A" } });
        stale.Status = new WidgetStatus { Phase = "B" };

        Assert.Equal(409, await StatusCodeOf(() => Widgets.ReplaceStatus(stale)));
    }

    [Fact]
    public async Task Kinds_without_a_status_subresource_keep_status_in_the_object_and_have_no_status_URL()
    {
        var gadget = new Dictionary<string, object>
        {
            ["metadata"] = new Dictionary<string, object> { ["name"] = "g" },
            ["status"] = new Dictionary<string, object> { ["phase"] = "Kept" },
        };
        var created = (JsonElement)await Client.CustomObjects.CreateClusterCustomObjectAsync(gadget, Widget.Group, Widget.Version, "gadgets");

        Assert.Equal("Kept", created.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal(404, await StatusCodeOf(() => Client.CustomObjects.GetClusterCustomObjectStatusAsync(Widget.Group, Widget.Version, "gadgets", "g")));
    }

    [Fact]
    public async Task Get_of_status_returns_the_whole_object()
    {
        await Widgets.Create(Widget.Named("w", size: 7));

        var read = Widgets.As<Widget>(await Client.CustomObjects.GetNamespacedCustomObjectStatusAsync(Widget.Group, Widget.Version, "default", Widget.Plural, "w"));

        Assert.Equal(7, read.Spec!.Size);
    }
}
