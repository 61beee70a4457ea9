using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Lineage.EmbeddedApiServer.Cel;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>CEL validation rules (crds/pinions.yaml, and the repository's CRDs) with kube-apiserver's messages.</summary>
public sealed class CelRuleTests : ServerTest
{
    private Task<object> Create(string spec, string name = "s") =>
        Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            JsonNode.Parse($$"""{"apiVersion":"test.lineage.dev/v1","kind":"Pinion","metadata":{"name":"{{name}}"},"spec":{{spec}}}"""),
            "test.lineage.dev", "v1", "default", "pinions");

    private static async Task<string> Refusal(Func<Task> write)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(write);
        Assert.Equal(422, (int)error.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message;
    }

    [Fact]
    public async Task A_valid_object_passes_every_rule()
    {
        await Create("""{"base":"file:///m","checkpointEvery":5,"storage":{"uri":"s3://b","secretName":"s3"},"stages":[{"name":"a","size":1}]}""");
    }

    [Fact]
    public async Task A_violated_rule_is_reported_on_its_field_with_its_message()
    {
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: spec: Invalid value: \"object\": set exactly one of parent or base",
            await Refusal(() => Create("""{"parent":"p","base":"b"}""")));
    }

    [Fact]
    public async Task Presence_counts_an_empty_value_as_present_as_CEL_does()
    {
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: spec: Invalid value: \"object\": parent must not be empty",
            await Refusal(() => Create("""{"parent":""}""")));
    }

    [Fact]
    public async Task Rules_run_after_defaulting()
    {
        // steps defaults to 10.
        Assert.Contains("spec: Invalid value: \"object\": checkpointEvery must not exceed steps", await Refusal(() => Create("""{"base":"b","checkpointEvery":20}""")));
        await Create("""{"base":"b","checkpointEvery":10}""");
    }

    [Fact]
    public async Task Field_path_and_reason_shape_the_error()
    {
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: spec.storage.secretName: Required value: secretName is required for an s3:// uri",
            await Refusal(() => Create("""{"base":"b","storage":{"uri":"s3://bucket"}}""")));
    }

    [Fact]
    public async Task A_message_expression_is_evaluated_and_list_items_are_checked_one_by_one()
    {
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: spec.stages[1]: Invalid value: \"object\": stage b needs a positive size",
            await Refusal(() => Create("""{"base":"b","stages":[{"name":"a","size":1},{"name":"b","size":0}]}""")));
    }

    [Fact]
    public async Task A_rule_without_message_reports_the_rule_and_several_errors_are_listed()
    {
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: [spec: Invalid value: \"object\": set exactly one of parent or base, spec: Invalid value: \"object\": failed rule: !has(self.ratio) || self.ratio < 1]",
            await Refusal(() => Create("""{"ratio":1.5}""")));
    }

    [Fact]
    public async Task A_runtime_error_is_reported_with_the_rule()
    {
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: spec.stages[0]: Invalid value: \"object\": no such key: size evaluating rule: self.size > 0",
            await Refusal(() => Create("""{"base":"b","stages":[{"name":"a"}]}""")));
        // An error on one side of || does not matter when the other side is true, as in CEL; when it is false the rule fails.
        await Create("""{"base":"b","storage":{"secretName":"s3"}}""", name: "ok");
        Assert.EndsWith("evaluating rule: self.uri.startsWith('file://') || has(self.secretName)", await Refusal(() => Create("""{"base":"b","storage":{}}""")));
    }

    [Fact]
    public async Task Rules_on_status_apply_to_status_writes()
    {
        await Create("""{"base":"b"}""");
        var refusal = await Refusal(() => Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            new V1Patch(new { status = new { phase = "Exploded" } }, V1Patch.PatchType.MergePatch), "test.lineage.dev", "v1", "default", "pinions", "s"));
        Assert.Equal("Pinion.test.lineage.dev \"s\" is invalid: status.phase: Invalid value: \"string\": failed rule: self in ['Pending', 'Done']", refusal);
    }

    [Fact]
    public async Task A_CRD_whose_rule_does_not_compile_is_refused()
    {
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(
            KubernetesJson.Serialize(await Client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("pinions.test.lineage.dev")));
        crd.Metadata = new V1ObjectMeta { Name = "badrules.test.lineage.dev" };
        crd.Spec.Names = new V1CustomResourceDefinitionNames { Plural = "badrules", Kind = "BadRule" };
        crd.Spec.Versions[0].Schema.OpenAPIV3Schema.XKubernetesValidations = [new V1ValidationRule { Rule = "self.x ==" }];
        crd.Status = null;

        var refusal = await Refusal(() => Client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd));

        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"badrules.test.lineage.dev\" is invalid: spec.validation.openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: \"self.x ==\": compilation failed:", refusal);
    }

    [Fact]
    public async Task The_generation_CRD_refuses_a_generation_with_both_parent_and_base()
    {
        Server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
        var body = JsonNode.Parse("""
            {"apiVersion":"lineage.dev/v1alpha1","kind":"Generation","metadata":{"name":"g1"},
             "spec":{"lineage":"math","parent":"g0","base":"file:///m","evaluation":{"dataset":{"task":"addition"}},"storage":{"uri":"file:///s"}}}
            """);
        var refusal = await Refusal(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "lineage.dev", "v1alpha1", "default", "generations"));

        Assert.Equal("Generation.lineage.dev \"g1\" is invalid: spec: Invalid value: \"object\": set at most one of parent or base", refusal);
    }

    [Fact]
    public async Task The_generation_CRD_takes_generation_zero_from_scratch_only_with_demonstrations()
    {
        Server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
        JsonNode Gen(string name, string training) => JsonNode.Parse("""
            {"apiVersion":"lineage.dev/v1alpha1","kind":"Generation","metadata":{"name":"NAME"},
             "spec":{"lineage":"math",TRAINING"evaluation":{"dataset":{"task":"addition"}},"storage":{"uri":"file:///s"}}}
            """.Replace("NAME", name).Replace("TRAINING", training))!;
        var refusal = await Refusal(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(Gen("g1", ""), "lineage.dev", "v1alpha1", "default", "generations"));
        Assert.Equal("Generation.lineage.dev \"g1\" is invalid: spec: Invalid value: \"object\": set parent or base, or train generation 0 from scratch with training.distillation.demonstrations", refusal);

        await Client.CustomObjects.CreateNamespacedCustomObjectAsync(
            Gen("g2", "\"training\":{\"distillation\":{\"demonstrations\":{\"task\":\"multiplication\",\"digits\":2}}},"), "lineage.dev", "v1alpha1", "default", "generations");
    }

    [Fact]
    public async Task The_lineage_CRD_refuses_a_plan_step_with_both_or_neither_kind_of_training()
    {
        Server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
        var body = JsonNode.Parse("""
            {"apiVersion":"lineage.dev/v1alpha1","kind":"Lineage","metadata":{"name":"math"},
             "spec":{"base":{"uri":"file:///m"},"template":{"evaluation":{"dataset":{"task":"addition"}}},"plan":[{"name":"nothing"}]}}
            """);
        var refusal = await Refusal(() => Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "lineage.dev", "v1alpha1", "default", "lineages"));
        Assert.Equal("Lineage.lineage.dev \"math\" is invalid: spec.plan[0]: Invalid value: \"object\": set exactly one of grpo or distillation", refusal);
    }

    [Theory]
    [InlineData("has(self.a)", "__present(self, 'a')")]
    [InlineData("has(self.a.b) && !has(self.c)", "__present(self.a, 'b') && !__present(self, 'c')")]
    [InlineData("self.s == 'has(self.x)'", "self.s == 'has(self.x)'")]
    [InlineData("self.hash(1)", "self.hash(1)")]
    public void Presence_tests_are_rewritten_outside_string_literals_only(string rule, string compiled)
    {
        Assert.Equal(compiled, CelPrograms.RewritePresenceTests(rule));
    }
}
