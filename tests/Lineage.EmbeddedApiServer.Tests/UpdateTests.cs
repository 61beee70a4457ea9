using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class UpdateTests : ServerTest
{
    [Fact]
    public async Task Replace_with_a_stale_resource_version_is_409_Conflict()
    {
        var created = await Widgets.Create(Widget.Named("w"));
        var first = await Widgets.Get("w");
        var second = await Widgets.Get("w");

        first.Spec!.Size = 2;
        await Widgets.Replace(first);
        second.Spec!.Size = 3;

        Assert.Equal(409, await StatusCodeOf(() => Widgets.Replace(second)));
        Assert.Equal(2, (await Widgets.Get("w")).Spec!.Size);
        Assert.NotEqual(created.Metadata.ResourceVersion, (await Widgets.Get("w")).Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Replace_of_a_custom_resource_without_resource_version_is_422()
    {
        await Widgets.Create(Widget.Named("w"));
        var blind = Widget.Named("w", size: 5);

        Assert.Equal(422, await StatusCodeOf(() => Widgets.Replace(blind)));
    }

    [Fact]
    public async Task Built_in_kinds_accept_unconditional_replace()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cm" } }, "default");
        var replaced = await Client.CoreV1.ReplaceNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new() { Name = "cm" }, Data = new Dictionary<string, string> { ["k"] = "v" } }, "cm", "default");

        Assert.Equal("v", replaced.Data["k"]);
    }

    [Fact]
    public async Task Generation_moves_on_spec_changes_only()
    {
        var widget = await Widgets.Create(Widget.Named("w"));
        Assert.Equal(1, widget.Metadata.Generation);

        widget.Metadata.Labels = new Dictionary<string, string> { ["team"] = "a" };
        widget = await Widgets.Replace(widget);
        Assert.Equal(1, widget.Metadata.Generation);

        widget.Spec!.Size = 9;
        widget = await Widgets.Replace(widget);
        Assert.Equal(2, widget.Metadata.Generation);

        widget = await Widgets.PatchStatus("w", new { status = new { phase = "Ready" } });
        Assert.Equal(2, widget.Metadata.Generation);

        widget = await Widgets.Patch("w", new { spec = new { color = "red" } });
        Assert.Equal(3, widget.Metadata.Generation);
    }

    [Fact]
    public async Task An_update_that_changes_nothing_writes_nothing()
    {
        var widget = await Widgets.Create(Widget.Named("w"));
        var rv = Server.ResourceVersion;

        var same = await Widgets.Replace(widget);

        Assert.Equal(widget.Metadata.ResourceVersion, same.Metadata.ResourceVersion);
        Assert.Equal(rv, Server.ResourceVersion);
    }

    [Fact]
    public async Task Server_owned_metadata_cannot_be_overwritten()
    {
        var widget = await Widgets.Create(Widget.Named("w"));
        var created = widget.Metadata.CreationTimestamp;
        widget.Metadata.Generation = 42;
        widget.Metadata.CreationTimestamp = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        widget.Spec!.Size = 2;

        var updated = await Widgets.Replace(widget);

        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Equal(created, updated.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task A_write_carrying_the_uid_of_a_deleted_namesake_is_409()
    {
        var old = await Widgets.Create(Widget.Named("w"));
        await Widgets.Delete("w");
        var recreated = await Widgets.Create(Widget.Named("w"));
        old.Metadata.ResourceVersion = recreated.Metadata.ResourceVersion;
        old.Spec!.Size = 5;

        Assert.Equal(409, await StatusCodeOf(() => Widgets.Replace(old)));
    }

    [Fact]
    public async Task Create_with_a_resource_version_is_refused()
    {
        var widget = Widget.Named("w");
        widget.Metadata.ResourceVersion = "7";

        Assert.Equal(500, await StatusCodeOf(() => Widgets.Create(widget)));
    }

    [Fact]
    public async Task Replace_with_another_name_than_the_URL_is_400()
    {
        var widget = await Widgets.Create(Widget.Named("w"));
        widget.Metadata.Name = "other";

        var error = await StatusCodeOf(() => Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(
            widget, Widget.Group, Widget.Version, "default", Widget.Plural, "w"));
        Assert.Equal(400, error);
    }

    [Fact]
    public async Task Replacing_a_missing_object_is_404()
    {
        var ghost = Widget.Named("ghost");
        ghost.Metadata.ResourceVersion = "1";

        Assert.Equal(404, await StatusCodeOf(() => Widgets.Replace(ghost)));
    }
}
