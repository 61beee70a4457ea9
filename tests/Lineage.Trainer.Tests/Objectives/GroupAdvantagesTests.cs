using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class GroupAdvantagesTests
{
    // Two prompts, G = 4: the first group splits 1,0,0,1; the second is all 2 (no signal).
    static Tensor Rewards() => T.Vec(1, 0, 0, 1, 2, 2, 2, 2);

    [Fact]
    public void Group_scaling_divides_by_the_unbiased_group_std_plus_epsilon()
    {
        using var scope = NewDisposeScope();
        var result = GroupAdvantages.Compute(Rewards(), groupSize: 4, RewardScaling.Group);

        // group 1: mean 0.5, deviations ±0.5, unbiased variance (4 × 0.25) / 3 = 1/3 → std = √(1/3)
        var a = 0.5 / (Math.Sqrt(1.0 / 3) + 1e-4);
        T.Close([a, -a, -a, a, 0, 0, 0, 0], result.Advantages);
        T.Close([0.5, 2.0], result.GroupMean);
        T.Close([Math.Sqrt(1.0 / 3), 0.0], result.GroupStd);
    }

    [Fact]
    public void Batch_scaling_centres_per_group_but_divides_by_the_batch_std()
    {
        using var scope = NewDisposeScope();
        var result = GroupAdvantages.Compute(Rewards(), groupSize: 4, RewardScaling.Batch);

        // batch mean 10/8 = 1.25; squared deviations .0625 + 1.5625 + 1.5625 + .0625 + 4 × .5625 = 5.5
        // unbiased variance 5.5 / 7 → std = √(5.5/7); centring is still by the group mean (0.5 and 2)
        var a = 0.5 / (Math.Sqrt(5.5 / 7) + 1e-4);
        T.Close([a, -a, -a, a, 0, 0, 0, 0], result.Advantages);
    }

    [Fact]
    public void No_scaling_is_Dr_GRPO_reward_minus_group_mean()
    {
        using var scope = NewDisposeScope();
        var result = GroupAdvantages.Compute(T.Vec(3, 1, 0, 0, 5, 7), groupSize: 3, RewardScaling.None);

        // group means 4/3 and 4: 3 − 4/3, 1 − 4/3, 0 − 4/3 ; 0 − 4, 5 − 4, 7 − 4
        T.Close([5.0 / 3, -1.0 / 3, -4.0 / 3, -4, 1, 3], result.Advantages, 1e-14);
    }

    [Fact]
    public void Flags_groups_whose_rewards_are_all_equal()
    {
        using var scope = NewDisposeScope();
        var result = GroupAdvantages.Compute(T.Vec(1, 1, 0, 1, 0.5, 0.5), groupSize: 2, RewardScaling.Group);

        Assert.Equal([true, false, true], result.ZeroVarianceGroups);
        Assert.Equal(2, result.ZeroVarianceGroupCount);
        T.Close(2.0 / 3, result.ZeroVarianceFraction);
        // equal rewards carry no signal: their advantages are exactly 0 (0 / (0 + ε))
        T.Close([0, 0], result.Advantages.index_select(0, tensor(new long[] { 0, 4 })));
    }

    [Fact]
    public void Dynamic_sampling_keeps_only_completions_from_groups_with_signal()
    {
        using var scope = NewDisposeScope();
        // G = 2: groups [1,1] and [0.5,0.5] are flat, [0,1] has signal → completions 2 and 3
        var result = GroupAdvantages.Compute(T.Vec(1, 1, 0, 1, 0.5, 0.5), groupSize: 2, RewardScaling.Group);
        Assert.Equal([2L, 3L], result.InformativeSequences());
    }

    [Theory]
    [InlineData(RewardScaling.Group)]
    [InlineData(RewardScaling.Batch)]
    [InlineData(RewardScaling.None)]
    public void Zero_variance_is_judged_per_group_whatever_the_scaling(RewardScaling scaling)
    {
        using var scope = NewDisposeScope();
        var result = GroupAdvantages.Compute(Rewards(), groupSize: 4, scaling);
        Assert.Equal([false, true], result.ZeroVarianceGroups);
    }

    [Fact]
    public void A_group_of_one_has_zero_std_and_zero_advantage_instead_of_NaN()
    {
        using var scope = NewDisposeScope();
        var result = GroupAdvantages.Compute(T.Vec(3, 7), groupSize: 1, RewardScaling.Group);
        T.Close([0, 0], result.Advantages);
        Assert.Equal([true, true], result.ZeroVarianceGroups);
    }

    [Fact]
    public void Rejects_a_batch_that_is_not_whole_groups()
    {
        using var scope = NewDisposeScope();
        var ex = Assert.Throws<ArgumentException>(() => GroupAdvantages.Compute(T.Vec(1, 2, 3, 4, 5, 6), groupSize: 4, RewardScaling.Group));
        Assert.Contains("groupSize 4", ex.Message);
    }

    [Fact]
    public void Parses_the_config_spellings()
    {
        Assert.Equal(RewardScaling.Group, RewardScalings.Parse("group"));
        Assert.Equal(RewardScaling.Batch, RewardScalings.Parse("batch"));
        Assert.Equal(RewardScaling.None, RewardScalings.Parse("none"));
        var ex = Assert.Throws<ArgumentException>(() => RewardScalings.Parse("Group"));
        Assert.Contains("scaleRewards", ex.Message);
    }
}
