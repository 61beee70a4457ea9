using Lineage.Contracts.Config;

namespace Lineage.Trainer.Tests.Config;

/// <summary>The fast YAML rendering of configs writes exactly what YamlDotNet writes, and leaves to it what it cannot.</summary>
public sealed class PlainYamlTests
{
    /// <summary>Every config type of the contract (its defaults) and the small-model presets the trainer's commands use.</summary>
    public static TheoryData<string> Configs() => [.. Samples().Keys];

    static Dictionary<string, object> Samples()
    {
        var samples = typeof(IValidated).Assembly.GetTypes()
            .Where(t => typeof(IValidated).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .ToDictionary(t => t.Name, t => Activator.CreateInstance(t)!);
        samples["GrpoConfig.ForSmallModels"] = GrpoConfig.ForSmallModels("s3://lineage/l/g1/model", "s3://lineage/l/g2/model");
        samples["DistillConfig.ForSmallModels"] = DistillConfig.ForSmallModels("file:///tmp/teacher", "/data/out");
        samples["DpoConfig.ForSmallModels"] = DpoConfig.ForSmallModels("policy", "out");
        return samples;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void A_config_renders_as_YamlDotNet_renders_it_without_YamlDotNet(string name)
    {
        var config = Samples()[name];

        var fast = PlainYaml.TryRender(config);

        Assert.NotNull(fast);
        Assert.Equal(ConfigLoader.ToYamlBySerializer(config), fast);
    }

    [Theory]
    // Plain: rendered here.
    [InlineData("s3://bucket/lineage/g-1/model", true)]
    [InlineData("</answer>", true)]
    [InlineData("/data/train.jsonl", true)]
    [InlineData("a=b+c", true)]
    [InlineData("under_score.v2", true)]
    [InlineData("", true)]
    // Anything YAML would quote or read as another type: left to YamlDotNet.
    [InlineData("two words", false)]
    [InlineData("a: b", false)]
    [InlineData("ends:", false)]
    [InlineData("#comment", false)]
    [InlineData("- item", false)]
    [InlineData("-5", false)]
    [InlineData(">folded", false)]
    [InlineData("<<", false)]
    [InlineData("true", false)]
    [InlineData("No", false)]
    [InlineData("null", false)]
    [InlineData("~", false)]
    [InlineData("123", false)]
    [InlineData("1.5", false)]
    [InlineData(".5", false)]
    [InlineData("ünïcode", false)]
    [InlineData("it's", false)]
    [InlineData("line\nbreak", false)]
    public void A_string_is_rendered_plain_only_when_YAML_reads_it_back_as_that_string_and_reads_back_as_itself_either_way(string text, bool plain)
    {
        var config = new EvalConfig { Model = text, Output = "out", Data = new DataConfig { Task = "addition", PromptField = text } };

        var fast = PlainYaml.TryRender(config);
        var yaml = ConfigLoader.ToYaml(config);

        Assert.Equal(plain, fast is not null);
        Assert.Equal(ConfigLoader.ToYamlBySerializer(config), yaml);
        if (text.Length > 0) // the model is required
        {
            var back = ConfigLoader.Parse<EvalConfig>(yaml, "rendered");
            Assert.Equal((text, text), (back.Model, back.Data.PromptField));
        }
    }

    [Theory]
    [InlineData(1e-6)]
    [InlineData(2e-5)]
    [InlineData(0.1 + 0.2)]
    [InlineData(1e20)]
    [InlineData(123456789.125)]
    [InlineData(-0.75)]
    [InlineData(double.MaxValue)]
    [InlineData(double.Epsilon)]
    public void A_number_is_written_as_YamlDotNet_writes_it(double value)
    {
        var config = new EvalConfig { Model = "m", Sampling = new SamplingConfig { Temperature = value, TopP = value, Stop = [] } };

        Assert.Equal(ConfigLoader.ToYamlBySerializer(config), PlainYaml.TryRender(config));
    }

    [Fact]
    public void Lists_of_mappings_empty_lists_and_nested_mappings_keep_YamlDotNets_layout()
    {
        var config = new EvalConfig
        {
            Model = "m",
            Judge = new RewardSpec { Name = "judge", Principles = [] },
            Ranker = new RewardSpec { Name = "rule", Principles = ["correct", "concise"] },
        };

        var fast = PlainYaml.TryRender(config);

        Assert.Equal(ConfigLoader.ToYamlBySerializer(config), fast);
        Assert.Contains("judge:\n  name: judge\n", fast);
        Assert.Contains("  principles: []\n", fast);
        Assert.Contains("  principles:\n  - correct\n  - concise\n", fast);
    }
}
