using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>CRD schemas (crds/cogs.yaml) act as in kube-apiserver: unknown fields pruned, defaults filled, values validated.</summary>
public sealed class SchemaTests : ServerTest
{
    private async Task<JsonNode> Create(string spec, string name = "c")
    {
        var body = JsonNode.Parse($$"""{"apiVersion":"test.lineage.dev/v1","kind":"Cog","metadata":{"name":"{{name}}"},"spec":{{spec}}}""");
        var created = (JsonElement)await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "test.lineage.dev", "v1", "default", "cogs");
        return JsonNode.Parse(created.GetRawText())!;
    }

    private async Task<string> Refusal(Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(write);
        Assert.Equal(422, (int)error.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message;
    }

    [Fact]
    public async Task Defaults_fill_absent_fields_at_every_depth()
    {
        var cog = await Create("""{"teeth":10}""");

        Assert.Equal("matte", cog["spec"]!["finish"]!.GetValue<string>());
        Assert.Equal(1.5, cog["spec"]!["ratio"]!.GetValue<double>());
        Assert.Equal(2, cog["spec"]!["gearing"]!["stages"]!.GetValue<int>());
    }

    [Fact]
    public async Task Given_values_win_over_defaults_and_a_null_is_defaulted()
    {
        var cog = await Create("""{"teeth":10,"finish":"gloss","gearing":{"stages":5},"ratio":null}""");

        Assert.Equal("gloss", cog["spec"]!["finish"]!.GetValue<string>());
        Assert.Equal(5, cog["spec"]!["gearing"]!["stages"]!.GetValue<int>());
        Assert.Equal(1.5, cog["spec"]!["ratio"]!.GetValue<double>());
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_unless_the_schema_preserves_them()
    {
        var cog = await Create("""{"teeth":10,"bogus":1,"free":{"anything":{"goes":true}}}""");

        Assert.Null(cog["spec"]!["bogus"]);
        Assert.True(cog["spec"]!["free"]!["anything"]!["goes"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Status_writes_are_pruned_and_validated_too()
    {
        await Create("""{"teeth":10}""");
        var patched = (JsonElement)await Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(new { status = new { phase = "Ready", invented = 1 } }, V1Patch.PatchType.MergePatch), "test.lineage.dev", "v1", "default", "cogs", "c");
        Assert.False(patched.GetProperty("status").TryGetProperty("invented", out _));

        var message = await Refusal(() => Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(new { status = new { conditions = new[] { new { type = "Ready", status = "Maybe" } } } }, V1Patch.PatchType.MergePatch),
            "test.lineage.dev", "v1", "default", "cogs", "c"));
        Assert.Contains("status.conditions[0].status: Unsupported value: \"Maybe\"", message);
    }

    [Theory]
    [InlineData("""{"teeth":2}""", "spec.teeth: Invalid value: 2: spec.teeth in body should be greater than or equal to 3")]
    [InlineData("""{"teeth":65}""", "spec.teeth: Invalid value: 65: spec.teeth in body should be less than or equal to 64")]
    [InlineData("""{"teeth":3.5}""", "spec.teeth: Invalid value: \"number\": spec.teeth in body must be of type integer")]
    [InlineData("""{"teeth":"ten"}""", "spec.teeth in body must be of type integer")]
    [InlineData("""{}""", "spec.teeth: Required value")]
    [InlineData("""{"teeth":10,"finish":"shiny"}""", "spec.finish: Unsupported value: \"shiny\": supported values: \"matte\", \"gloss\"")]
    [InlineData("""{"teeth":10,"code":"ABC"}""", "spec.code in body should match '^[a-z]+$'")]
    [InlineData("""{"teeth":10,"code":"abcdefghi"}""", "spec.code: Too long: may not be more than 8")]
    [InlineData("""{"teeth":10,"ratio":0}""", "spec.ratio in body should be greater than 0")]
    [InlineData("""{"teeth":10,"tags":["a","b","c"]}""", "spec.tags: Too many: 3: must have at most 2 items")]
    [InlineData("""{"teeth":10,"limits":{"rpm":"fast"}}""", "spec.limits.rpm in body must be of type integer")]
    public async Task Invalid_values_are_422_naming_the_field(string spec, string expected)
    {
        var message = await Refusal(() => Create(spec));

        Assert.Contains(expected, message);
        Assert.StartsWith("Cog.test.lineage.dev \"c\" is invalid: ", message);
    }

    [Fact]
    public async Task Several_errors_are_reported_together()
    {
        var message = await Refusal(() => Create("""{"teeth":1,"finish":"shiny"}"""));

        Assert.Contains("spec.teeth", message);
        Assert.Contains("spec.finish", message);
    }

    [Fact]
    public async Task Updates_are_validated_and_defaulted_like_creates()
    {
        await Create("""{"teeth":10,"finish":"gloss"}""");

        var patched = (JsonElement)await Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(JsonNode.Parse("""{"spec":{"finish":null}}"""), V1Patch.PatchType.MergePatch), "test.lineage.dev", "v1", "default", "cogs", "c");
        Assert.Equal("matte", patched.GetProperty("spec").GetProperty("finish").GetString());

        await Refusal(() => Client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new { spec = new { teeth = 100 } }, V1Patch.PatchType.MergePatch), "test.lineage.dev", "v1", "default", "cogs", "c"));
    }
}
