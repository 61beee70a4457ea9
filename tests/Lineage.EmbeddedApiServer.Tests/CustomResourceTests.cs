using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

public sealed class CustomResourceTests : ServerTest
{
    [Fact]
    public async Task Create_sets_uid_timestamps_resource_version_and_generation()
    {
        var before = Server.ResourceVersion;
        var created = await Widgets.Create(Widget.Named("alpha", size: 3));

        Assert.Equal("alpha", created.Metadata.Name);
        Assert.Equal("default", created.Metadata.NamespaceProperty);
        Assert.True(Guid.TryParse(created.Metadata.Uid, out _));
        Assert.NotNull(created.Metadata.CreationTimestamp);
        Assert.Equal(1, created.Metadata.Generation);
        Assert.True(long.Parse(created.Metadata.ResourceVersion) > before);
        Assert.Equal(3, (await Widgets.Get("alpha")).Spec!.Size);
    }

    [Fact]
    public async Task Resource_versions_increase_across_all_kinds()
    {
        var a = await Widgets.Create(Widget.Named("one"));
        var map = await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "cm" } }, "default");
        var b = await Widgets.Create(Widget.Named("two"));

        Assert.True(long.Parse(a.Metadata.ResourceVersion) < long.Parse(map.Metadata.ResourceVersion));
        Assert.True(long.Parse(map.Metadata.ResourceVersion) < long.Parse(b.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task Create_with_generateName_picks_a_unique_name()
    {
        var first = await Widgets.Create(new Widget { Metadata = new V1ObjectMeta { GenerateName = "run-" } });
        var second = await Widgets.Create(new Widget { Metadata = new V1ObjectMeta { GenerateName = "run-" } });

        Assert.StartsWith("run-", first.Metadata.Name);
        Assert.Equal(9, first.Metadata.Name.Length);
        Assert.NotEqual(first.Metadata.Name, second.Metadata.Name);
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_AlreadyExists_as_a_Status()
    {
        await Widgets.Create(Widget.Named("dup"));
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Widgets.Create(Widget.Named("dup")));

        Assert.Equal(409, (int)error.Response.StatusCode);
        var status = KubernetesJson.Deserialize<V1Status>(error.Response.Content);
        Assert.Equal("Status", status.Kind);
        Assert.Equal("AlreadyExists", status.Reason);
        Assert.Equal(409, status.Code);
        Assert.Equal("widgets.test.lineage.dev \"dup\" already exists", status.Message);
    }

    [Fact]
    public async Task Reading_a_missing_object_is_404_NotFound()
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => Widgets.Get("ghost"));

        Assert.Equal(404, (int)error.Response.StatusCode);
        Assert.Equal("NotFound", KubernetesJson.Deserialize<V1Status>(error.Response.Content).Reason);
    }

    [Fact]
    public async Task Invalid_names_are_422()
    {
        Assert.Equal(422, await StatusCodeOf(() => Widgets.Create(Widget.Named("Not_Valid"))));
        Assert.Equal(422, await StatusCodeOf(() => Widgets.Create(new Widget())));
    }

    [Fact]
    public async Task Objects_are_isolated_by_namespace()
    {
        await new Widgets(Client, "team-a").Create(Widget.Named("same"));
        await new Widgets(Client, "team-b").Create(Widget.Named("same", size: 2));

        Assert.Equal(2, (await new Widgets(Client, "team-b").Get("same")).Spec!.Size);
        Assert.Single((await new Widgets(Client, "team-a").List()).Items);
        var all = Widgets.As<WidgetList>(await Client.CustomObjects.ListClusterCustomObjectAsync(Widget.Group, Widget.Version, Widget.Plural));
        Assert.Equal(["team-a", "team-b"], all.Items.Select(w => w.Metadata.NamespaceProperty).Order());
    }

    [Fact]
    public async Task Cluster_scoped_custom_resources_have_no_namespace()
    {
        var gadget = new Dictionary<string, object>
        {
            ["apiVersion"] = "test.lineage.dev/v1", ["kind"] = "Gadget",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "g1" },
        };
        await Client.CustomObjects.CreateClusterCustomObjectAsync(gadget, Widget.Group, Widget.Version, "gadgets");

        var read = (JsonElement)await Client.CustomObjects.GetClusterCustomObjectAsync(Widget.Group, Widget.Version, "gadgets", "g1");
        Assert.False(read.GetProperty("metadata").TryGetProperty("namespace", out _));
    }

    [Fact]
    public async Task A_CRD_posted_through_the_client_registers_its_kind()
    {
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = "sprockets.test.lineage.dev" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = "test.lineage.dev",
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "sprockets", Kind = "Sprocket" },
                Versions = [new V1CustomResourceDefinitionVersion { Name = "v2", Served = true, Storage = true }],
            },
        };
        var created = await Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        Assert.Contains(created.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        var sprocket = new Dictionary<string, object> { ["metadata"] = new Dictionary<string, object> { ["name"] = "s1" } };
        var stored = (JsonElement)await Client.CustomObjects.CreateNamespacedCustomObjectAsync(sprocket, "test.lineage.dev", "v2", "default", "sprockets");
        Assert.Equal("Sprocket", stored.GetProperty("kind").GetString());
        Assert.Equal("test.lineage.dev/v2", stored.GetProperty("apiVersion").GetString());
    }

    [Fact]
    public async Task Deleting_a_CRD_removes_its_objects_and_its_URLs()
    {
        await Widgets.Create(Widget.Named("doomed"));
        await Client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("widgets.test.lineage.dev");

        Assert.Equal(404, await StatusCodeOf(() => Widgets.Get("doomed")));
    }

    [Fact]
    public void Installing_a_file_that_is_not_a_CRD_names_the_file_and_document()
    {
        var dir = Directory.CreateTempSubdirectory();
        var file = Path.Combine(dir.FullName, "bad.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");

        var error = Assert.Throws<InvalidDataException>(() => Server.InstallCrdsFromDirectory(dir.FullName));
        Assert.Contains("bad.yaml: document 1", error.Message);
    }

    [Fact]
    public void A_CRD_without_a_group_is_rejected_naming_the_field()
    {
        var dir = Directory.CreateTempSubdirectory();
        File.WriteAllText(Path.Combine(dir.FullName, "nogroup.yaml"),
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: x.y\nspec:\n  scope: Namespaced\n  names: {plural: x, kind: X}\n  versions: [{name: v1, served: true, storage: true}]\n");

        var error = Assert.Throws<InvalidDataException>(() => Server.InstallCrdsFromDirectory(dir.FullName));
        Assert.Contains("spec.group", error.Message);
    }
}
