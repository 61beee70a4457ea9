using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class DeletionTests : ServerTest
{
    private const string Finalizer = "test.lineage.dev/cleanup";

    [Fact]
    public async Task Deleting_an_object_without_finalizers_removes_it()
    {
        await Widgets.Create(Widget.Named("w"));

        var deleted = await Widgets.Delete("w");

        Assert.Equal("w", deleted.Metadata.Name);
        Assert.Equal(404, await StatusCodeOf(() => Widgets.Get("w")));
    }

    [Fact]
    public async Task Deleting_an_object_with_finalizers_only_marks_it_until_the_last_finalizer_goes()
    {
        var widget = Widget.Named("w");
        widget.Metadata.Finalizers = [Finalizer, "other/keep"];
        var created = await Widgets.Create(widget);

        var marked = await Widgets.Delete("w");
        Assert.NotNull(marked.Metadata.DeletionTimestamp);
        Assert.Equal(0, marked.Metadata.DeletionGracePeriodSeconds);
        Assert.Equal(created.Metadata.Generation + 1, marked.Metadata.Generation);
        Assert.NotNull((await Widgets.Get("w")).Metadata.DeletionTimestamp);

        var again = await Widgets.Delete("w");
        Assert.Equal(marked.Metadata.ResourceVersion, again.Metadata.ResourceVersion);

        await Widgets.Patch("w", new { metadata = new { finalizers = new[] { "other/keep" } } });
        Assert.Equal(["other/keep"], (await Widgets.Get("w")).Metadata.Finalizers);

        var current = await Widgets.Get("w");
        current.Metadata.Finalizers = [];
        await Widgets.Replace(current);
        Assert.Equal(404, await StatusCodeOf(() => Widgets.Get("w")));
    }

    [Fact]
    public async Task The_finalizer_lifecycle_is_visible_to_watchers()
    {
        var widget = Widget.Named("w");
        widget.Metadata.Finalizers = [Finalizer];
        var created = await Widgets.Create(widget);
        await using var watch = new WatchRecorder<object>(token => Client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Widget.Group, Widget.Version, "default", Widget.Plural, resourceVersion: created.Metadata.ResourceVersion, cancellationToken: token));

        await Widgets.Delete("w");
        await Widgets.Patch("w", new { metadata = new { finalizers = Array.Empty<string>() } });

        var marked = await watch.Next();
        Assert.Equal(WatchEventType.Modified, marked.Type);
        Assert.NotNull(Widgets.As<Widget>(marked.Object).Metadata.DeletionTimestamp);
        Assert.Equal(WatchEventType.Deleted, (await watch.Next()).Type);
    }

    [Fact]
    public async Task No_new_finalizer_may_be_added_once_deleting()
    {
        var widget = Widget.Named("w");
        widget.Metadata.Finalizers = [Finalizer];
        await Widgets.Create(widget);
        await Widgets.Delete("w");

        var code = await StatusCodeOf(() => Widgets.Patch("w", new { metadata = new { finalizers = new[] { Finalizer, "late/one" } } }));

        Assert.Equal(422, code);
    }

    [Fact]
    public async Task Deleting_an_owner_deletes_its_dependents()
    {
        var owner = await Widgets.Create(Widget.Named("owner"));
        var reference = OwnedBy(owner);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "config", OwnerReferences = [reference] } }, "default");
        await Client.BatchV1.CreateNamespacedJobAsync(new V1Job { Metadata = new() { Name = "job", OwnerReferences = [reference] } }, "default");
        var child = Widget.Named("child");
        child.Metadata.OwnerReferences = [reference];
        await Widgets.Create(child);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "unrelated" } }, "default");

        await Widgets.Delete("owner", propagationPolicy: "Foreground");

        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("config", "default")));
        Assert.Equal(404, await StatusCodeOf(() => Client.BatchV1.ReadNamespacedJobAsync("job", "default")));
        Assert.Equal(404, await StatusCodeOf(() => Widgets.Get("child")));
        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("unrelated", "default"));
    }

    [Fact]
    public async Task The_cascade_follows_chains_and_honours_dependents_finalizers()
    {
        var root = await Widgets.Create(Widget.Named("root"));
        var middle = Widget.Named("middle");
        middle.Metadata.OwnerReferences = [OwnedBy(root)];
        middle = await Widgets.Create(middle);
        var leaf = Widget.Named("leaf");
        leaf.Metadata.OwnerReferences = [OwnedBy(middle)];
        leaf.Metadata.Finalizers = [Finalizer];
        await Widgets.Create(leaf);

        await Widgets.Delete("root");

        Assert.Equal(404, await StatusCodeOf(() => Widgets.Get("middle")));
        Assert.NotNull((await Widgets.Get("leaf")).Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_dependent_with_another_live_owner_only_loses_the_reference()
    {
        var first = await Widgets.Create(Widget.Named("first"));
        var second = await Widgets.Create(Widget.Named("second"));
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new()
            {
                Name = "shared",
                OwnerReferences =
                [
                    OwnedBy(first),
                    OwnedBy(second),
                ],
            },
        }, "default");

        await Widgets.Delete("first");

        var shared = await Client.CoreV1.ReadNamespacedConfigMapAsync("shared", "default");
        Assert.Equal(second.Metadata.Uid, Assert.Single(shared.Metadata.OwnerReferences).Uid);
    }

    [Fact]
    public async Task An_object_whose_owner_does_not_exist_is_garbage_collected()
    {
        var ghost = new V1OwnerReference { ApiVersion = "test.lineage.dev/v1", Kind = "Widget", Name = "ghost", Uid = Guid.NewGuid().ToString() };

        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "dangling", OwnerReferences = [ghost] } }, "default");

        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("dangling", "default")));
    }

    [Fact]
    public async Task An_owner_in_another_namespace_does_not_count()
    {
        var owner = await new Widgets(Client, "elsewhere").Create(Widget.Named("owner"));

        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cross", OwnerReferences = [OwnedBy(owner)] } }, "default");

        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("cross", "default")));
    }

    [Fact]
    public async Task A_cluster_scoped_owner_counts_for_a_namespaced_dependent()
    {
        var created = (System.Text.Json.JsonElement)await Client.CustomObjects.CreateClusterCustomObjectAsync(
            new Dictionary<string, object> { ["apiVersion"] = "test.lineage.dev/v1", ["kind"] = "Gadget", ["metadata"] = new Dictionary<string, object> { ["name"] = "g" } },
            Widget.Group, Widget.Version, "gadgets");
        var uid = created.GetProperty("metadata").GetProperty("uid").GetString();
        var owner = new V1OwnerReference { ApiVersion = "test.lineage.dev/v1", Kind = "Gadget", Name = "g", Uid = uid };

        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "kept", OwnerReferences = [owner] } }, "default");

        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("kept", "default"));
        await Client.CustomObjects.DeleteClusterCustomObjectAsync(Widget.Group, Widget.Version, "gadgets", "g");
        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("kept", "default")));
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_and_removes_their_owner_reference()
    {
        var owner = await Widgets.Create(Widget.Named("owner"));
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = "kept", OwnerReferences = [OwnedBy(owner)] },
        }, "default");

        await Widgets.Delete("owner", propagationPolicy: "Orphan");

        var kept = await Client.CoreV1.ReadNamespacedConfigMapAsync("kept", "default");
        Assert.Null(kept.Metadata.OwnerReferences);
    }

    [Fact]
    public async Task Deleting_a_finalized_owner_cascades_when_its_last_finalizer_is_removed()
    {
        var owner = Widget.Named("owner");
        owner.Metadata.Finalizers = [Finalizer];
        owner = await Widgets.Create(owner);
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new() { Name = "config", OwnerReferences = [OwnedBy(owner)] },
        }, "default");

        await Widgets.Delete("owner");
        Assert.NotNull(await Client.CoreV1.ReadNamespacedConfigMapAsync("config", "default"));

        await Widgets.Patch("owner", new { metadata = new { finalizers = Array.Empty<string>() } });
        Assert.Equal(404, await StatusCodeOf(() => Client.CoreV1.ReadNamespacedConfigMapAsync("config", "default")));
    }

    [Fact]
    public async Task Delete_preconditions_that_do_not_hold_are_409()
    {
        await Widgets.Create(Widget.Named("w"));

        var code = await StatusCodeOf(() => Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, Widget.Version, "default", Widget.Plural, "w",
            body: new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = Guid.NewGuid().ToString() } }));

        Assert.Equal(409, code);
        Assert.NotNull(await Widgets.Get("w"));
    }

    [Fact]
    public async Task Built_in_deletes_answer_with_a_success_Status()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cm" } }, "default");

        var status = await Client.CoreV1.DeleteNamespacedConfigMapAsync("cm", "default");

        Assert.Equal("Success", status.Status);
        Assert.Equal("cm", status.Details.Name);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_what_is_in_it()
    {
        await Client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "team" } });
        var inside = new Widgets(Client, "team");
        await inside.Create(Widget.Named("w"));
        await Widgets.Create(Widget.Named("w"));

        await Client.CoreV1.DeleteNamespaceAsync("team");

        Assert.Empty((await inside.List()).Items);
        Assert.NotNull(await Widgets.Get("w"));
    }

    [Fact]
    public async Task Delete_collection_deletes_the_selected_objects()
    {
        await Widgets.Create(Widget.Named("a", labels: new Dictionary<string, string> { ["run"] = "1" }));
        await Widgets.Create(Widget.Named("b", labels: new Dictionary<string, string> { ["run"] = "1" }));
        await Widgets.Create(Widget.Named("c", labels: new Dictionary<string, string> { ["run"] = "2" }));

        await Client.CustomObjects.DeleteCollectionNamespacedCustomObjectAsync(Widget.Group, Widget.Version, "default", Widget.Plural, labelSelector: "run=1");

        Assert.Equal(["c"], (await Widgets.List()).Items.Select(w => w.Metadata.Name));
    }

    private static V1OwnerReference OwnedBy(Widget owner) => new()
    {
        ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
    };
}
