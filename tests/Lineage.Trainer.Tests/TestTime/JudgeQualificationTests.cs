using Lineage.Contracts.Store;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Tests.TestTime;

/// <summary>The judge check's arithmetic on hand-computed groups of four samples (T = right, F = wrong).</summary>
public sealed class JudgeQualificationTests
{
    static (IReadOnlyList<bool>, IReadOnlyList<double>) Group(string verdicts, params double[] scores) =>
        (verdicts.Select(c => c == 'T').ToList(), scores);

    [Theory]
    [InlineData("TFFF", new[] { 0.9, 0.1, 0.2, 0.3 }, 1.0)]     // the judge picks the right one
    [InlineData("TFFF", new[] { 0.1, 0.9, 0.2, 0.3 }, 0.0)]     // it picks a wrong one
    [InlineData("TFFF", new[] { 0.5, 0.5, 0.2, 0.3 }, 0.5)]     // a tie at the top of one right, one wrong: half a pick
    [InlineData("TFTF", new[] { 0.7, 0.7, 0.7, 0.7 }, 0.5)]     // all tied: exactly a random sample
    [InlineData("TTTT", new[] { 0.1, 0.9, 0.2, 0.3 }, 1.0)]     // all right: any pick is right
    [InlineData("FFFF", new[] { 0.9, 0.1, 0.2, 0.3 }, 0.0)]     // all wrong: no pick is right
    public void Pick_accuracy_is_the_share_of_right_samples_among_the_top_scored(string verdicts, double[] scores, double expected)
    {
        var (correct, s) = Group(verdicts, scores);
        Assert.Equal(expected, JudgeQualification.PickAccuracy(correct, s), 12);
    }

    [Fact]
    public void Unparsable_replies_score_zero_so_they_lose_to_any_positive_score_and_an_all_unparsable_judge_is_random()
    {
        var unparsable = JudgeReply.Parse("garbage", 10).Reward;
        var parsed = JudgeReply.Parse("<think>ok</think><answer>3</answer>", 10).Reward;
        Assert.Equal(0, unparsable);
        Assert.Equal(1.0, JudgeQualification.PickAccuracy([false, true], [unparsable, parsed]));
        Assert.Equal(0.0, JudgeQualification.PickAccuracy([true, false], [unparsable, parsed]));

        var check = JudgeQualification.Of([Group("TFFF", 0, 0, 0, 0), Group("TTFF", 0, 0, 0, 0)], margin: 0, unparsable: 8, "accuracy");
        Assert.Equal(check.RandomAccuracy, check.PickAccuracy, 12);
        Assert.False(check.Used);
        Assert.Equal(JudgeCheckResult.NotBetterThanRandom, check.Reason);
        Assert.Equal(8, check.Unparsable);
    }

    [Fact]
    public void A_judge_that_beats_a_random_sample_by_more_than_the_margin_is_used()
    {
        // Groups: pick right (1), tie of right and wrong (0.5), all wrong (0), all right (1) → pick 0.625;
        // random: 1/4, 1/4 (one right in TFFF), 0, 1 → 0.375; oracle 3/4.
        var groups = new[]
        {
            Group("TFFF", 0.9, 0.1, 0.2, 0.3), Group("TFFF", 0.5, 0.5, 0.2, 0.3), Group("FFFF", 0.9, 0.1, 0.2, 0.3), Group("TTTT", 0.1, 0.9, 0.2, 0.3),
        };
        var check = JudgeQualification.Of(groups, margin: 0.2, unparsable: 0, "accuracy");
        Assert.Equal(0.625, check.PickAccuracy, 12);
        Assert.Equal(0.375, check.RandomAccuracy, 12);
        Assert.Equal(0.75, check.OracleAccuracy, 12);
        Assert.Equal(4, check.Problems);
        Assert.Equal(4, check.Samples);
        Assert.True(check.Used);
        Assert.Equal(JudgeCheckResult.BetterThanRandom, check.Reason);

        var stricter = JudgeQualification.Of(groups, margin: 0.25, unparsable: 0, "accuracy + 0.2 × format");
        Assert.False(stricter.Used);   // 0.625 − 0.375 is not more than 0.25
        Assert.Contains("not better than random", stricter.Message);
        Assert.Contains("training on accuracy + 0.2 × format", stricter.Message);
    }

    [Fact]
    public void A_judge_that_picks_worse_than_random_is_not_used()
    {
        var check = JudgeQualification.Of([Group("TFFF", 0.1, 0.9, 0.2, 0.3), Group("TTFF", 0.1, 0.2, 0.9, 0.3)], margin: 0, unparsable: 0, "accuracy");
        Assert.Equal(0.0, check.PickAccuracy);
        Assert.Equal(0.375, check.RandomAccuracy, 12);
        Assert.False(check.Used);
    }
}
