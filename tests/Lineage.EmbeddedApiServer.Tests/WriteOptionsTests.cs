using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>The query parameters of writes: fieldValidation (Strict, Warn, Ignore), dryRun=All, fieldManager.</summary>
public sealed class WriteOptionsTests : ServerTest
{
    private const string CogWithUnknownFields = """{"apiVersion":"test.lineage.dev/v1","kind":"Cog","metadata":{"name":"c"},"spec":{"teeth":10,"colour":"red","gearing":{"stages":3,"ratio":2}}}""";

    private async Task<HttpResponseMessage> Post(string path, string body, string? userAgent = null)
    {
        using var http = new HttpClient { BaseAddress = Server.Url };
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (userAgent is not null) request.Headers.UserAgent.Add(ProductInfoHeaderValue.Parse(userAgent));
        return await http.SendAsync(request);
    }

    private const string Cogs = "apis/test.lineage.dev/v1/namespaces/default/cogs";

    [Fact]
    public async Task Strict_refuses_unknown_fields_naming_each_one()
    {
        var response = await Post($"{Cogs}?fieldValidation=Strict", CogWithUnknownFields);

        Assert.Equal(400, (int)response.StatusCode);
        var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Cog in version \"v1\" cannot be handled as a Cog: strict decoding error: unknown field \"spec.colour\", unknown field \"spec.gearing.ratio\"",
            status["message"]!.GetValue<string>());
        Assert.Equal("BadRequest", status["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Warn_is_the_default_drops_unknown_fields_and_says_so_in_Warning_headers()
    {
        var response = await Post(Cogs, CogWithUnknownFields);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal(["299 - \"unknown field \\\"spec.colour\\\"\"", "299 - \"unknown field \\\"spec.gearing.ratio\\\"\""], response.Headers.GetValues("Warning"));
        var stored = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Null(stored["spec"]!["colour"]);
    }

    [Fact]
    public async Task Ignore_drops_unknown_fields_silently()
    {
        var response = await Post($"{Cogs}?fieldValidation=Ignore", CogWithUnknownFields);

        Assert.Equal(201, (int)response.StatusCode);
        Assert.False(response.Headers.Contains("Warning"));
    }

    [Fact]
    public async Task Dry_run_validates_defaults_and_answers_but_stores_nothing()
    {
        var before = Server.ResourceVersion;
        var created = (System.Text.Json.JsonElement)await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse("""{"apiVersion":"test.lineage.dev/v1","kind":"Cog","metadata":{"name":"c"},"spec":{"teeth":10}}"""),
            "test.lineage.dev", "v1", "default", "cogs", dryRun: "All");

        Assert.Equal("matte", created.GetProperty("spec").GetProperty("finish").GetString());
        Assert.Equal(before, Server.ResourceVersion);
        Assert.Equal(404, await StatusCodeOf(() => Client.CustomObjects.GetNamespacedCustomObjectAsync("test.lineage.dev", "v1", "default", "cogs", "c")));
        Assert.Equal(422, await StatusCodeOf(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse("""{"apiVersion":"test.lineage.dev/v1","kind":"Cog","metadata":{"name":"c"},"spec":{"teeth":1}}"""),
            "test.lineage.dev", "v1", "default", "cogs", dryRun: "All")));
    }

    [Fact]
    public async Task Dry_run_update_and_delete_leave_the_object_as_it_was()
    {
        var widget = await Widgets.Create(Widget.Named("w", size: 1));
        widget.Spec!.Size = 9;

        var answered = Widgets.As<Widget>(await Client.CustomObjects.ReplaceNamespacedCustomObjectAsync(widget, Widget.Group, Widget.Version, "default", Widget.Plural, "w", dryRun: "All"));
        await Client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Group, Widget.Version, "default", Widget.Plural, "w", dryRun: "All");

        Assert.Equal(9, answered.Spec!.Size);
        var stored = await Widgets.Get("w");
        Assert.Equal(1, stored.Spec!.Size);
        Assert.Equal(widget.Metadata.ResourceVersion, stored.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Managed_fields_name_the_field_manager_or_else_the_user_agent()
    {
        await Post($"api/v1/namespaces/default/configmaps", """{"metadata":{"name":"a"},"data":{"k":"v"}}""", userAgent: "lineage-operator/1.0");
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "b" }, Data = new Dictionary<string, string> { ["k"] = "v" } },
            "default", fieldManager: "lineage-node");

        var a = (await Client.CoreV1.ReadNamespacedConfigMapAsync("a", "default")).Metadata.ManagedFields.Single();
        var b = (await Client.CoreV1.ReadNamespacedConfigMapAsync("b", "default")).Metadata.ManagedFields.Single();

        Assert.Equal(("lineage-operator", "Update", "v1"), (a.Manager, a.Operation, a.ApiVersion));
        Assert.Equal("lineage-node", b.Manager);
        Assert.Equal("""{"f:data":{"f:k":{}}}""", KubernetesJson.Serialize(b.FieldsV1));
    }

    [Fact]
    public async Task An_update_takes_the_fields_it_changes_from_their_previous_manager()
    {
        await Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" } },
            "default", fieldManager: "first");

        await Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(new { data = new { b = "3" } }, V1Patch.PatchType.MergePatch), "c", "default", fieldManager: "second");

        var entries = (await Client.CoreV1.ReadNamespacedConfigMapAsync("c", "default")).Metadata.ManagedFields.ToDictionary(e => e.Manager, e => KubernetesJson.Serialize(e.FieldsV1));
        Assert.Equal("""{"f:data":{"f:a":{}}}""", entries["first"]);
        Assert.Equal("""{"f:data":{"f:b":{}}}""", entries["second"]);
    }

    [Fact]
    public async Task Status_writes_are_recorded_against_the_status_subresource()
    {
        await Widgets.Create(Widget.Named("w"));
        await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(new { status = new { phase = "Ready" } }, V1Patch.PatchType.MergePatch),
            Widget.Group, Widget.Version, "default", Widget.Plural, "w", fieldManager: "lineage-operator");

        var entry = (await Widgets.Get("w")).Metadata.ManagedFields.Single(e => e.Manager == "lineage-operator");

        Assert.Equal("status", entry.Subresource);
        Assert.Equal("""{"f:status":{"f:phase":{}}}""", KubernetesJson.Serialize(entry.FieldsV1));
    }
}
