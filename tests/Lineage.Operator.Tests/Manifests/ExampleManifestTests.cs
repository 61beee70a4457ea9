using System.Text.Json.Nodes;
using k8s;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Crds;
using Lineage.Operator.Rendering;

namespace Lineage.Operator.Tests.Manifests;

public sealed class ExampleManifestTests
{
    static readonly SchemaBuilder Schemas = new(XmlDocs.ForAssemblies(typeof(Generation).Assembly, typeof(GrpoConfig).Assembly));
    static readonly List<(string File, JsonObject Document)> Examples = ManifestFiles.Load(RepoRoot.File("examples")).ToList();

    static IEnumerable<(string File, Generation Generation)> Generations() => Examples
        .Where(e => (string?)e.Document["kind"] == Generation.KindName)
        .Select(e => (e.File, KubernetesJson.Deserialize<Generation>(e.Document.ToJsonString())));

    [Fact]
    public void The_examples_hold_a_three_generation_lineage_and_its_secret()
    {
        var generations = Generations().ToDictionary(g => g.Generation.Metadata.Name, g => g.Generation);
        Assert.Equal(["gen-0", "gen-1", "gen-2"], generations.Keys.Order());
        Assert.NotNull(generations["gen-0"].Spec.Base);
        Assert.Equal("gen-0", generations["gen-1"].Spec.Parent);
        Assert.NotNull(generations["gen-1"].Spec.Training?.Grpo);
        Assert.Equal("gen-1", generations["gen-2"].Spec.Parent);
        Assert.NotNull(generations["gen-2"].Spec.Training?.Distillation);
        Assert.All(generations.Values, g => Assert.Equal("math", g.Spec.Lineage));
        var secret = Assert.Single(Examples, e => (string?)e.Document["kind"] == "Secret").Document;
        var name = generations["gen-1"].Spec.Storage.SecretName!;
        Assert.Equal(name, (string?)secret["metadata"]!["name"]);
        Assert.NotNull(secret["stringData"]![StorageSpec.AccessKeyIdKey]);
        Assert.NotNull(secret["stringData"]![StorageSpec.SecretAccessKeyKey]);
    }

    [Fact]
    public void Every_custom_resource_in_the_examples_passes_its_crd_schema()
    {
        var kinds = CrdGenerator.Kinds.ToDictionary(k => k.Name, k => CrdGenerator.Definition(k, Schemas).Spec.Versions[0].Schema.OpenAPIV3Schema);
        var checkedCount = 0;
        foreach (var (file, document) in Examples.Where(e => (string?)e.Document["apiVersion"] == Group.ApiVersion))
        {
            var errors = StructuralSchema.Errors(document, kinds[(string)document["kind"]!]);
            Assert.True(errors.Count == 0, $"{file}: {string.Join("; ", errors)}");
            checkedCount++;
        }
        Assert.Equal(3, checkedCount);
    }

    [Fact]
    public void The_structural_check_catches_a_typo_and_a_bad_enum()
    {
        var schema = CrdGenerator.Definition(typeof(Generation), Schemas).Spec.Versions[0].Schema.OpenAPIV3Schema;
        var document = Examples.First(e => e.File == "11-gen-1-grpo.yaml").Document.DeepClone().AsObject();
        document["spec"]!["promotion"]!["mode"] = "sometimes";
        document["spec"]!["training"]!["grpo"]!["stpes"] = 10;
        var errors = StructuralSchema.Errors(document, schema);
        Assert.Contains(".spec.promotion.mode: 'sometimes' not in enum", errors);
        Assert.Contains(".spec.training.grpo.stpes: unknown field", errors);
    }

    [Fact]
    public void The_examples_render_configs_the_trainer_accepts()
    {
        foreach (var (file, generation) in Generations())
        {
            generation.Metadata.NamespaceProperty ??= "ml";
            const string input = "s3://models/lineages/math/parent/model";
            var exception = Record.Exception(() =>
            {
                if (generation.Spec.Training?.Grpo is { } grpo) TrainerConfigs.Grpo(RunTemplates.GrpoRunFor(generation, grpo, input).Spec, input);
                if (generation.Spec.Training?.Distillation is { } d) TrainerConfigs.Distill(RunTemplates.DistillationFor(generation, d, input).Spec, input);
                TrainerConfigs.Eval(generation.Spec.Evaluation, input, RunTemplates.EvalResultUri(generation));
            });
            Assert.True(exception is null, $"{file}: {exception?.Message}");
        }
    }
}
