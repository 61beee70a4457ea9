using Lineage.Contracts.Config;

namespace Lineage.Trainer.Tests.Grpo;

public sealed class GrpoConfigTests
{
    [Fact]
    public void An_unknown_reward_name_is_an_error_naming_the_reward_field()
    {
        var e = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<GrpoConfig>("policy: p\noutput: o\nrewards: [{name: accuracy}, {name: magic}]", "grpo.yaml"));
        Assert.Contains("rewards[1].name", e.Message);
        Assert.Contains("magic", e.Message);
    }

    [Fact]
    public void Tuned_small_model_defaults_sit_under_a_file_that_overrides_some_fields()
    {
        var defaults = ConfigLoader.ToYaml(GrpoConfig.ForSmallModels("", ""));
        var merged = ConfigOverrides.Merge(defaults, "policy: sft/model\noutput: out/model\noptim: {learningRate: 0.5}\n", "grpo.yaml");
        var config = ConfigLoader.Parse<GrpoConfig>(merged, "grpo.yaml");
        var tuned = GrpoConfig.ForSmallModels("", "");
        Assert.Equal("sft/model", config.Policy);
        Assert.Equal(0.5, config.Optim.LearningRate);
        Assert.Equal(tuned.Optim.WarmupSteps, config.Optim.WarmupSteps);
        Assert.Equal(tuned.Sampling.MaxNewTokens, config.Sampling.MaxNewTokens);
        Assert.Equal(tuned.NumGenerations, config.NumGenerations);
    }
}
