using Lineage.Contracts.Config;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class RewardFactoryTests
{
    [Theory]
    [InlineData("accuracy", typeof(AccuracyReward))]
    [InlineData("format", typeof(FormatReward))]
    [InlineData("overlong", typeof(OverlongReward))]
    public void Builds_every_rule_reward_by_name(string name, Type expected)
    {
        var reward = RewardFactory.Create(new RewardSpec { Name = name });

        Assert.IsType(expected, reward);
        Assert.Equal(name, reward.Name);
    }

    [Fact]
    public void An_unknown_name_is_an_error_naming_the_field()
    {
        var error = Assert.Throws<ConfigError>(() => RewardFactory.Create(new RewardSpec { Name = "vibes" }, "grpo.rewards[2]"));

        Assert.Contains("grpo.rewards[2].name", error.Message);
        Assert.Contains("vibes", error.Message);
    }

    [Fact]
    public void A_bad_regex_is_an_error_naming_the_pattern_field()
    {
        var error = Assert.Throws<ConfigError>(() => RewardFactory.Create(new RewardSpec { Name = "regex", Pattern = "(unclosed" }, "rewards[0]"));

        Assert.StartsWith("rewards[0].pattern:", error.Message);
    }

    [Fact]
    public void A_buffer_longer_than_the_budget_is_an_error_naming_the_buffer_field()
    {
        var error = Assert.Throws<ConfigError>(() => RewardFactory.Create(new RewardSpec { Name = "overlong", MaxLength = 32, Buffer = 64 }, "rewards[0]"));

        Assert.StartsWith("rewards[0].buffer:", error.Message);
    }

    [Fact]
    public void A_model_reward_whose_directory_is_missing_is_an_error_naming_the_model_field()
    {
        var error = Assert.Throws<ConfigError>(() => RewardFactory.Create(new RewardSpec { Name = "rewardModel", Model = "no-such-rm/" }, "rewards[1]"));

        Assert.StartsWith("rewards[1].model:", error.Message);
        Assert.Contains("no-such-rm", error.Message);
    }

    [Fact]
    public void Model_based_rewards_come_from_the_builder_the_caller_passes()
    {
        var judge = new FixedReward("judge", 0.7);

        var reward = RewardFactory.Create(new RewardSpec { Name = "judge", Model = "m/", Principles = ["be right"] }, modelRewards: _ => judge);

        Assert.Same(judge, reward);
    }

    internal sealed class FixedReward(string name, double value) : IRewardFunction
    {
        public string Name => name;

        public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct) =>
            ValueTask.FromResult(completions.Select(_ => value).ToArray());
    }
}
