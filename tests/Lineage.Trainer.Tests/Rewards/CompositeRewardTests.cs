using Lineage.Contracts.Config;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class CompositeRewardTests
{
    static readonly Problem Sum = AdditionTask.Create(347, 285);

    [Fact]
    public async Task Sums_weighted_terms_and_reports_each_term_unweighted()
    {
        var composite = CompositeReward.FromSpecs([
            new RewardSpec { Name = "accuracy" },
            new RewardSpec { Name = "format", Weight = 0.2 },
            new RewardSpec { Name = "overlong", MaxLength = 10, Buffer = 4, Weight = 0.5 },
        ]);
        string[] completions = [Sum.Completion, "<answer>632</answer>", "<think></think><answer>1</answer>"];

        var scores = await composite.ScoreTermsAsync([Sum, Sum, Sum], completions, [5, 8, 20], CancellationToken.None);

        Assert.Equal(["accuracy", "format", "overlong"], scores.Terms.Select(t => t.Key));
        Assert.Equal([1.0, 1, 0], scores.Terms[0].Values);
        Assert.Equal([1.0, 0, 1], scores.Terms[1].Values);
        Assert.Equal([0, -0.5, -1], scores.Terms[2].Values);
        Assert.Equal(1.2, scores.Total[0], precision: 12);
        Assert.Equal(0.75, scores.Total[1], precision: 12);
        Assert.Equal(-0.3, scores.Total[2], precision: 12);
        Assert.Equal(scores.Total, await composite.ScoreAsync([Sum, Sum, Sum], completions, [5, 8, 20], CancellationToken.None));
    }

    [Fact]
    public void The_same_reward_twice_gets_distinct_metric_keys()
    {
        var composite = CompositeReward.FromSpecs([
            new RewardSpec { Name = "regex", Pattern = "a" },
            new RewardSpec { Name = "regex", Pattern = "b" },
        ]);

        Assert.Equal(["regex", "regex_2"], composite.Terms.Select(t => t.Key));
    }

    [Fact]
    public void A_bad_spec_is_reported_with_its_index()
    {
        var error = Assert.Throws<ConfigError>(() => CompositeReward.FromSpecs([new RewardSpec { Name = "accuracy" }, new RewardSpec { Name = "nope" }], "grpo.rewards"));

        Assert.Contains("grpo.rewards[1].name", error.Message);
    }
}
