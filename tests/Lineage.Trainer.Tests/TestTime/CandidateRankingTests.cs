using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Tests.TestTime;

public sealed class CandidateRankingTests
{
    [Theory]
    [InlineData(new[] { 0.1, 0.9, 0.3 }, 1)]
    [InlineData(new[] { 0.5, 0.5, 0.2 }, 0)]          // a tie: the first sampled
    [InlineData(new[] { 0.2, 0.7, 0.7 }, 1)]
    [InlineData(new[] { -3.0 }, 0)]
    [InlineData(new[] { -2.0, -1.0, -1.0 }, 1)]       // reward-model logits may all be negative
    [InlineData(new[] { double.NaN, 0.1, 0.4 }, 2)]   // no reward is never the best
    public void Picks_the_highest_reward_and_the_first_of_a_tie(double[] rewards, int expected) =>
        Assert.Equal(expected, CandidateRanking.Pick(rewards));

    [Fact]
    public void Needs_a_candidate() =>
        Assert.Throws<ArgumentException>(() => CandidateRanking.Pick([]));

    [Theory]
    [InlineData(new[] { 0.1, 0.9, 0.3 }, new[] { 1 })]
    [InlineData(new[] { 0.5, 0.2, 0.5, 0.5 }, new[] { 0, 2, 3 })]
    [InlineData(new[] { 0.0, 0.0 }, new[] { 0, 1 })]
    [InlineData(new[] { double.NaN, 0.4, 0.4 }, new[] { 1, 2 })]
    [InlineData(new[] { double.NaN, double.NaN }, new[] { 0, 1 })]
    public void Top_lists_every_candidate_tied_with_the_pick(double[] rewards, int[] expected) =>
        Assert.Equal(expected, CandidateRanking.Top(rewards));
}
