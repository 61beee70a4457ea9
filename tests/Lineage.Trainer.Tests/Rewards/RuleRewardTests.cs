using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class RuleRewardTests
{
    static readonly Problem Sum = AdditionTask.Create(347, 285);

    static ValueTask<double[]> Score(IRewardFunction reward, IReadOnlyList<string> completions, IReadOnlyList<int>? tokens = null) =>
        reward.ScoreAsync(completions.Select(_ => Sum).ToArray(), completions, tokens ?? completions.Select(c => c.Length).ToArray(), CancellationToken.None);

    [Fact]
    public async Task Accuracy_is_one_exactly_for_correct_answers()
    {
        var scores = await Score(new AccuracyReward(), [Sum.Completion, "<think></think><answer>633</answer>", "632", "<answer>632.0</answer>"]);

        Assert.Equal([1.0, 0, 0, 1], scores);
    }

    [Fact]
    public async Task Format_is_one_exactly_for_think_format_completions()
    {
        var scores = await Score(new FormatReward(), [Sum.Completion, "<answer>632</answer>"]);

        Assert.Equal([1.0, 0], scores);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(192, 0.0)]      // Lmax − buffer: still free
    [InlineData(193, -1.0 / 64)]
    [InlineData(224, -0.5)]
    [InlineData(256, -1.0)]     // Lmax: end of the ramp
    [InlineData(257, -1.0)]     // beyond
    [InlineData(10_000, -1.0)]
    public void Overlong_penalty_ramps_linearly_over_the_buffer(int length, double expected)
    {
        Assert.Equal(expected, OverlongReward.Penalty(length, maxLength: 256, buffer: 64), precision: 12);
    }

    [Fact]
    public void Overlong_with_no_buffer_is_a_hard_cliff()
    {
        Assert.Equal(0, OverlongReward.Penalty(100, 100, 0));
        Assert.Equal(-1, OverlongReward.Penalty(101, 100, 0));
    }

    [Fact]
    public async Task Overlong_reads_token_counts_not_characters()
    {
        var scores = await Score(new OverlongReward(10, 4), ["a", "a", "a"], [5, 8, 11]);

        Assert.Equal([0, -0.5, -1], scores);
    }

    [Fact]
    public async Task Regex_is_one_when_the_pattern_matches_anywhere()
    {
        var scores = await Score(new RegexReward(@"^<think>.*\|.*</think>"), [Sum.Completion, "<think>no steps</think><answer>632</answer>"]);

        Assert.Equal([1.0, 0], scores);
    }

    [Fact]
    public async Task A_batch_whose_lists_disagree_in_length_is_a_caller_error()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await new AccuracyReward().ScoreAsync([Sum, Sum], [Sum.Completion], [1], CancellationToken.None));
    }
}
