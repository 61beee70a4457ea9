using Lineage.Trainer.Preferences;

namespace Lineage.Trainer.Tests.Preferences;

public sealed class PairRankingTests
{
    [Fact]
    public void Pairs_the_best_completion_against_the_worst() =>
        Assert.Equal((2, 1), PairRanking.BestAndWorst([0.2, 0.0, 1.2, 0.5]));

    [Fact]
    public void Equal_rewards_give_no_pair() =>
        Assert.Null(PairRanking.BestAndWorst([1.0, 1.0, 1.0]));

    [Fact]
    public void Ties_at_the_top_or_bottom_pick_the_first_sampled() =>
        Assert.Equal((0, 1), PairRanking.BestAndWorst([1.0, 0.0, 1.0, 0.0]));
}
