using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>
/// CRD selectableFields (KEP-4358) as kube-apiserver serves them: list and watch select on the declared fields, any
/// other field label is 400, and a CRD whose selectableFields break the rules is refused naming the field.
/// </summary>
public sealed class FieldSelectorTests : ServerTest
{
    const string Group = "test.lineage.dev", Version = "v1", Plural = "parts";

    /// <summary>A Part: spec.size (integer), spec.ready (boolean), spec.tags (array), spec.labels (map), status.phase (string), status.score (number).</summary>
    static JsonObject PartCrd(string plural, params string[] selectable)
    {
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"PLURAL.test.lineage.dev"},
             "spec":{"group":"test.lineage.dev","scope":"Namespaced",
                     "names":{"plural":"PLURAL","singular":"SINGULAR","kind":"PartPLURAL"},
                     "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                       "schema":{"openAPIV3Schema":{"type":"object","properties":{
                         "metadata":{"type":"object","properties":{"name":{"type":"string"}}},
                         "spec":{"type":"object","properties":{
                           "size":{"type":"integer"},"ready":{"type":"boolean"},"color":{"type":"string"},
                           "tags":{"type":"array","items":{"type":"string"}},
                           "labels":{"type":"object","additionalProperties":{"type":"string"}},
                           "f0":{"type":"string"},"f1":{"type":"string"},"f2":{"type":"string"},"f3":{"type":"string"},
                           "f4":{"type":"string"},"f5":{"type":"string"},"f6":{"type":"string"},"f7":{"type":"string"},"f8":{"type":"string"}}},
                         "status":{"type":"object","properties":{
                           "phase":{"type":"string","enum":["Pending","Promoted","Rejected"]},"score":{"type":"number"}}}}}}}]}}
            """.Replace("PLURAL", plural).Replace("SINGULAR", plural.TrimEnd('s')))!.AsObject();
        crd["spec"]!["versions"]![0]!["selectableFields"] = new JsonArray(selectable.Select(p => (JsonNode)new JsonObject { ["jsonPath"] = p }).ToArray());
        return crd;
    }

    Task CreateCrd(JsonObject crd) =>
        Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));

    async Task CreatePart(string name, object spec, string? phase = null)
    {
        var body = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{Version}", ["kind"] = "Partparts",
            ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = JsonNode.Parse(KubernetesJson.Serialize(spec)),
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, Group, Version, "default", Plural);
        if (phase is not null) await SetPhase(name, phase);
    }

    Task SetPhase(string name, string phase) => Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
        new V1Patch(new { status = new { phase } }, V1Patch.PatchType.MergePatch), Group, Version, "default", Plural, name);

    async Task<string> Names(string fieldSelector)
    {
        var list = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(
            await Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural, fieldSelector: fieldSelector)))!;
        return string.Join(",", list["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    static async Task<V1Status> Refused(int code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, (int)error.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(error.Response.Content);
    }

    async Task PartsWithThreeObjects()
    {
        await CreateCrd(PartCrd(Plural, ".status.phase", ".spec.size", ".spec.ready", ".spec.labels.team"));
        await CreatePart("a", new { size = 1, ready = true, labels = new { team = "x" } }, phase: "Promoted");
        await CreatePart("b", new { size = 2, ready = false }, phase: "Rejected");
        await CreatePart("c", new { size = 1 });
    }

    [Theory]
    [InlineData("status.phase=Promoted", "a")]
    [InlineData("status.phase==Promoted", "a")]
    [InlineData("status.phase!=Promoted", "b,c")]
    [InlineData("status.phase=", "c")]
    [InlineData("spec.ready=true", "a")]
    [InlineData("spec.ready=false", "b")]
    [InlineData("spec.ready=", "c")]
    [InlineData("spec.size=1", "a,c")]
    [InlineData("spec.labels.team=x", "a")]
    [InlineData("status.phase!=Promoted,metadata.name!=c", "b")]
    [InlineData("metadata.namespace=default,status.phase=Rejected", "b")]
    [InlineData("metadata.name=a,status.phase=Rejected", "")]
    public async Task Selectable_fields_select_with_the_text_of_the_value_and_absent_as_empty(string selector, string expected)
    {
        await PartsWithThreeObjects();

        Assert.Equal(expected, await Names(selector));
    }

    [Theory]
    [InlineData("status.score=1", "status.score")]
    [InlineData("spec.color=red", "spec.color")]
    [InlineData("status.phase=Promoted,metadata.uid=1", "metadata.uid")]
    public async Task A_field_that_is_not_selectable_is_400_with_kube_apiservers_message(string selector, string field)
    {
        await PartsWithThreeObjects();

        var list = await Refused(400, () => Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", Plural, fieldSelector: selector));
        var watch = await Refused(400, () => Client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
            Group, Version, "default", Plural, fieldSelector: selector, watch: true));

        foreach (var status in new[] { list, watch })
        {
            Assert.Equal("BadRequest", status.Reason);
            Assert.Equal($"field label not supported: {field}", status.Message);
        }
    }

    [Fact]
    public async Task A_kind_without_selectable_fields_answers_only_name_and_namespace_and_a_cluster_scoped_one_only_name()
    {
        await Widgets.Create(Widget.Named("w"));

        Assert.Equal("field label not supported: status.phase", (await Refused(400, () => Widgets.List(fieldSelector: "status.phase=Done"))).Message);
        Assert.Single((await Widgets.List(fieldSelector: "metadata.namespace=default,metadata.name=w")).Items);
        Assert.Equal("field label not supported: metadata.namespace", (await Refused(400, () =>
            Client.CustomObjects.ListClusterCustomObjectAsync(Group, Version, "gadgets", fieldSelector: "metadata.namespace=default"))).Message);
    }

    [Fact]
    public async Task A_field_filtered_watch_sees_objects_enter_and_leave_the_selection()
    {
        await CreateCrd(PartCrd(Plural, ".status.phase"));
        var events = new WatchRecorder<JsonObject>(token => Names(Client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, Version, "default", Plural, fieldSelector: "status.phase=Promoted", resourceVersion: Server.ResourceVersion.ToString(),
            cancellationToken: token)));
        await using var watch = events;

        await CreatePart("p", new { size = 1 });
        await CreatePart("other", new { size = 1 }, phase: "Rejected");
        await SetPhase("p", "Promoted");
        await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new { spec = new { size = 2 } }, V1Patch.PatchType.MergePatch),
            Group, Version, "default", Plural, "p");
        await SetPhase("p", "Rejected");
        await SetPhase("other", "Promoted");

        Assert.Equal((WatchEventType.Added, "p", "Promoted"), Seen(await watch.Next()));
        Assert.Equal((WatchEventType.Modified, "p", "Promoted"), Seen(await watch.Next()));
        Assert.Equal((WatchEventType.Deleted, "p", "Rejected"), Seen(await watch.Next()));
        Assert.Equal((WatchEventType.Added, "other", "Promoted"), Seen(await watch.Next()));
    }

    static (WatchEventType, string, string) Seen((WatchEventType Type, JsonObject Object) e) =>
        (e.Type, e.Object["metadata"]!["name"]!.GetValue<string>(), e.Object["status"]?["phase"]?.GetValue<string>() ?? "");

    static async IAsyncEnumerable<(WatchEventType, JsonObject)> Names(IAsyncEnumerable<(WatchEventType, object)> events)
    {
        await foreach (var (type, item) in events) yield return (type, JsonNode.Parse(KubernetesJson.Serialize(item))!.AsObject());
    }

    const string At = "spec.versions[0].selectableFields";

    [Theory]
    [InlineData(".status.missing", $"{At}[0].jsonPath: Invalid value: \".status.missing\": is an invalid path: does not refer to a valid field")]
    [InlineData(".spec.tags[0]", $"{At}[0].jsonPath: Invalid value: \".spec.tags[0]\": is an invalid path: array notation is not allowed")]
    [InlineData("status.phase", $"{At}[0].jsonPath: Invalid value: \"status.phase\": is an invalid path: expected [ or . but got: status")]
    [InlineData(".status.", $"{At}[0].jsonPath: Invalid value: \".status.\": is an invalid path: unexpected end of JSON path")]
    [InlineData(".spec.size.x", $"{At}[0].jsonPath: Invalid value: \".spec.size.x\": is an invalid path: does not refer to a valid field")]
    [InlineData(".metadata.name", $"{At}[0].jsonPath: Invalid value: \".metadata.name\": must not point to fields in metadata")]
    [InlineData(".status.score", $"{At}[0].jsonPath: Invalid value: \".status.score\": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.")]
    [InlineData(".spec.tags", $"{At}[0].jsonPath: Invalid value: \".spec.tags\": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.")]
    [InlineData("", $"{At}[0].jsonPath: Required value")]
    public async Task A_CRD_with_a_bad_selectable_field_is_refused_naming_the_field(string jsonPath, string error)
    {
        var refusal = await Refused(422, () => CreateCrd(PartCrd("bads", jsonPath)));

        Assert.Equal($"CustomResourceDefinition.apiextensions.k8s.io \"bads.test.lineage.dev\" is invalid: {error}", refusal.Message);
        Assert.Equal(404, await StatusCodeOf(() => Client.CustomObjects.ListNamespacedCustomObjectAsync(Group, Version, "default", "bads")));
    }

    [Fact]
    public async Task A_CRD_with_a_duplicate_or_a_ninth_selectable_field_is_refused()
    {
        var duplicate = await Refused(422, () => CreateCrd(PartCrd("bads", ".status.phase", ".spec.size", ".status.phase")));
        var nine = await Refused(422, () => CreateCrd(PartCrd("bads", Enumerable.Range(0, 9).Select(i => $".spec.f{i}").ToArray())));
        await CreateCrd(PartCrd("goods", Enumerable.Range(0, 8).Select(i => $".spec.f{i}").ToArray()));

        Assert.EndsWith($"is invalid: {At}[2].jsonPath: Duplicate value: \".status.phase\"", duplicate.Message);
        Assert.EndsWith($"is invalid: {At}: Too many: 9: must have at most 8 items", nine.Message);
    }
}
