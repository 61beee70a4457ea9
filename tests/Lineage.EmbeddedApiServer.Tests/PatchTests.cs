using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class PatchTests : ServerTest
{
    [Fact]
    public async Task Merge_patch_merges_objects_and_null_deletes()
    {
        await Widgets.Create(Widget.Named("w", size: 2, labels: new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));

        var patched = await Widgets.Patch("w", new Dictionary<string, object?>
        {
            ["metadata"] = new Dictionary<string, object?> { ["labels"] = new Dictionary<string, object?> { ["a"] = null, ["c"] = "3" } },
            ["spec"] = new Dictionary<string, object?> { ["color"] = "blue" },
        });

        Assert.Equal(new Dictionary<string, string> { ["b"] = "2", ["c"] = "3" }, patched.Metadata.Labels);
        Assert.Equal(2, patched.Spec!.Size);
        Assert.Equal("blue", patched.Spec.Color);
    }

    [Fact]
    public async Task Json_patch_applies_operations_in_order()
    {
        await Widgets.Create(Widget.Named("w", size: 2));

        var patched = await Widgets.Patch("w", new object[]
        {
            new { op = "test", path = "/spec/size", value = 2 },
            new { op = "replace", path = "/spec/size", value = 5 },
            new { op = "add", path = "/metadata/finalizers", value = new[] { "test.lineage.dev/cleanup" } },
        }, V1Patch.PatchType.JsonPatch);

        Assert.Equal(5, patched.Spec!.Size);
        Assert.Equal(["test.lineage.dev/cleanup"], patched.Metadata.Finalizers);
    }

    [Fact]
    public async Task A_failing_json_patch_test_is_422_and_changes_nothing()
    {
        await Widgets.Create(Widget.Named("w", size: 2));

        var code = await StatusCodeOf(() => Widgets.Patch("w", new object[]
        {
            new { op = "replace", path = "/spec/size", value = 5 },
            new { op = "test", path = "/spec/size", value = 2 },
        }, V1Patch.PatchType.JsonPatch));

        Assert.Equal(422, code);
        Assert.Equal(2, (await Widgets.Get("w")).Spec!.Size);
    }

    [Fact]
    public async Task Strategic_merge_patch_of_status_is_served_as_merge_patch()
    {
        await Widgets.Create(Widget.Named("w"));

        var patched = await Widgets.PatchStatus("w", new { status = new { phase = "Running" } }, V1Patch.PatchType.StrategicMergePatch);

        Assert.Equal("Running", patched.Status!.Phase);
    }

    [Fact]
    public async Task Patching_status_through_the_main_resource_is_ignored()
    {
        await Widgets.Create(Widget.Named("w"));

        var patched = await Widgets.Patch("w", new { status = new { phase = "Sneaky" } });

        Assert.Null(patched.Status);
    }

    [Fact]
    public async Task A_patch_carrying_a_stale_resource_version_is_409()
    {
        var widget = await Widgets.Create(Widget.Named("w"));
        await Widgets.Patch("w", new { spec = new { size = 2 } });

        var code = await StatusCodeOf(() => Widgets.Patch("w", new
        {
            metadata = new { resourceVersion = widget.Metadata.ResourceVersion },
            spec = new { size = 3 },
        }));
        Assert.Equal(409, code);
    }

    [Fact]
    public async Task Patching_a_missing_object_is_404()
    {
        Assert.Equal(404, await StatusCodeOf(() => Widgets.Patch("ghost", new { spec = new { size = 1 } })));
    }

    [Fact]
    public async Task Patching_built_in_kinds_works_the_same()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new() { Name = "cm" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");

        var patched = await Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(new { data = new { b = "2" } }, V1Patch.PatchType.MergePatch), "cm", "default");

        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, patched.Data);
    }

    [Fact]
    public async Task Apply_patch_creates_when_absent_and_updates_when_present()
    {
        // KubernetesClient sends apply patches as JSON (which is YAML too).
        const string first = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"1"}}""";
        const string second = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"a":"2"}}""";

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(first, V1Patch.PatchType.ApplyPatch), "applied", "default", fieldManager: "test");
        var merged = await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(second, V1Patch.PatchType.ApplyPatch), "applied", "default", fieldManager: "test");

        Assert.Equal("2", merged.Data["a"]);
    }

    [Fact]
    public async Task An_unknown_patch_content_type_is_415()
    {
        await Widgets.Create(Widget.Named("w"));
        using var http = new HttpClient { BaseAddress = Server.Url };
        var request = new HttpRequestMessage(HttpMethod.Patch, "apis/test.lineage.dev/v1/namespaces/default/widgets/w")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "text/plain"),
        };

        Assert.Equal(415, (int)(await http.SendAsync(request)).StatusCode);
    }
}
