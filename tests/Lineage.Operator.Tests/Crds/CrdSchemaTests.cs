using k8s;
using k8s.Models;
using Lineage.Operator.Crds;

namespace Lineage.Operator.Tests.Crds;

/// <summary>What a user of kubectl relies on in the generated CRDs.</summary>
public sealed class CrdSchemaTests
{
    static readonly Dictionary<string, V1CustomResourceDefinition> Crds = CrdGenerator.Generate()
        .Select(g => KubernetesYaml.Deserialize<V1CustomResourceDefinition>(g.Yaml))
        .ToDictionary(c => c.Spec.Names.Kind);

    static V1JSONSchemaProps Items(V1JSONSchemaProps array) =>
        KubernetesJson.Deserialize<V1JSONSchemaProps>(KubernetesJson.Serialize(array.Items));

    static V1JSONSchemaProps Spec(string kind) => Crds[kind].Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["spec"];

    [Theory]
    [InlineData("Generation", "generations.lineage.dev", "gen")]
    [InlineData("GrpoRun", "grporuns.lineage.dev", "grpo")]
    [InlineData("Distillation", "distillations.lineage.dev", "distill")]
    [InlineData("Lineage", "lineages.lineage.dev", "lin")]
    public void Kinds_have_short_names_the_lineage_category_and_a_status_subresource(string kind, string name, string shortName)
    {
        var crd = Crds[kind];
        Assert.Equal(name, crd.Metadata.Name);
        Assert.Equal(["lineage"], crd.Spec.Names.Categories);
        Assert.Equal([shortName], crd.Spec.Names.ShortNames);
        Assert.Equal("Namespaced", crd.Spec.Scope);
        var version = Assert.Single(crd.Spec.Versions);
        Assert.Equal("v1alpha1", version.Name);
        Assert.NotNull(version.Subresources.Status);
    }

    [Theory]
    [InlineData("Generation")]
    [InlineData("GrpoRun")]
    [InlineData("Distillation")]
    [InlineData("Lineage")]
    public void Kubectl_get_field_selector_selects_on_the_string_status_phase(string kind)
    {
        var version = Crds[kind].Spec.Versions[0];
        Assert.Equal([".status.phase"], version.SelectableFields.Select(f => f.JsonPath));
        Assert.Equal("string", version.Schema.OpenAPIV3Schema.Properties["status"].Properties["phase"].Type);
    }

    [Theory]
    [InlineData("Generation", "Lineage,Parent,Phase,Score,Age")]
    [InlineData("GrpoRun", "Phase,Step,Reward,Age")]
    [InlineData("Distillation", "Phase,Strategy,Step,Kept,Teacher,Age")]
    [InlineData("Lineage", "Champion,Generations,Best Score,Phase,Age")]
    public void Kubectl_get_shows_the_issue_columns(string kind, string columns)
    {
        var shown = Crds[kind].Spec.Versions[0].AdditionalPrinterColumns.Where(c => (c.Priority ?? 0) == 0).Select(c => c.Name);
        Assert.Equal(columns.Split(','), shown);
    }

    [Fact]
    public void Generation_requires_lineage_evaluation_and_storage_and_an_input_or_demonstrations()
    {
        var spec = Spec("Generation");
        Assert.Equal(["lineage", "evaluation", "storage"], spec.Required);
        Assert.Contains(spec.XKubernetesValidations, r => r.Rule == "!(has(self.parent) && has(self.base))");
        Assert.Contains(spec.XKubernetesValidations, r => r.Rule.StartsWith("has(self.parent) || has(self.base) || (has(self.training)", StringComparison.Ordinal));
        Assert.Contains(spec.Properties["training"].XKubernetesValidations, r => r.Rule == "!(has(self.grpo) && has(self.distillation))");
        Assert.Equal("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", spec.Properties["lineage"].Pattern);
    }

    [Fact]
    public void Promotion_mode_and_retention_are_enums_with_defaults()
    {
        var spec = Spec("Generation");
        var mode = spec.Properties["promotion"].Properties["mode"];
        Assert.Equal(["auto", "manual"], mode.EnumProperty.Select(v => v.ToString()));
        Assert.Equal("auto", mode.DefaultProperty?.ToString());
        var retention = spec.Properties["storage"].Properties["retention"];
        Assert.Equal(["retain", "delete"], retention.EnumProperty.Select(v => v.ToString()));
        Assert.Equal("retain", retention.DefaultProperty?.ToString());
        var minScore = spec.Properties["promotion"].Properties["minScore"];
        Assert.Equal((0.0, 1.0), (minScore.Minimum, minScore.Maximum));
    }

    [Fact]
    public void Trainer_settings_carry_the_trainer_defaults_and_enums()
    {
        var grpo = Spec("GrpoRun");
        Assert.Equal("8", grpo.Properties["numGenerations"].DefaultProperty?.ToString());
        Assert.Equal(["grpo", "bnpo", "dapo", "dr_grpo"], grpo.Properties["lossType"].EnumProperty.Select(v => v.ToString()));
        Assert.Equal(["accuracy", "format", "overlong", "regex", "rewardModel", "judge"],
            Items(grpo.Properties["rewards"]).Properties["name"].EnumProperty.Select(v => v.ToString()));
        Assert.Contains(grpo.XKubernetesValidations, r => r.Rule == "self.checkpointEvery <= self.steps");
        Assert.Equal(["policy", "output", "storage"], grpo.Required);
    }

    [Fact]
    public void Descriptions_come_from_the_doc_comments()
    {
        var spec = Spec("Generation");
        Assert.Equal("The chain this generation belongs to; parent and child share it.", spec.Properties["lineage"].Description);
        var steps = Spec("GrpoRun").Properties["steps"];
        Assert.Equal("Optimizer steps.", steps.Description);
        Assert.StartsWith("Built-in task", Spec("GrpoRun").Properties["dataset"].Properties["task"].Description);
    }

    [Fact]
    public void Conditions_are_a_list_map_keyed_by_type()
    {
        var conditions = Crds["Generation"].Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["status"].Properties["conditions"];
        Assert.Equal("map", conditions.XKubernetesListType);
        Assert.Equal(["type"], conditions.XKubernetesListMapKeys);
    }

    [Fact]
    public void Status_fields_have_no_defaults()
    {
        var status = Crds["GrpoRun"].Spec.Versions[0].Schema.OpenAPIV3Schema.Properties["status"];
        Assert.All(status.Properties.Values, p => Assert.Null(p.DefaultProperty));
    }
}
