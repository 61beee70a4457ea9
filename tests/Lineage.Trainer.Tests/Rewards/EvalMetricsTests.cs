using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Xunit;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class EvalMetricsTests
{
    [Theory]
    [InlineData(10, 0, 1, 0.0)]
    [InlineData(10, 10, 5, 1.0)]
    [InlineData(10, 3, 1, 0.3)]             // pass@1 is the plain success rate
    [InlineData(4, 1, 2, 0.5)]              // 1 − C(3,2)/C(4,2) = 1 − 3/6
    [InlineData(5, 2, 2, 0.7)]              // 1 − C(3,2)/C(5,2) = 1 − 3/10
    [InlineData(10, 2, 3, 1 - 56.0 / 120)]  // 1 − C(8,3)/C(10,3)
    [InlineData(5, 3, 3, 1.0)]              // fewer than k wrong samples: some draw must be right
    public void Pass_at_k_matches_the_binomial_formula(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), precision: 12);
    }

    [Fact]
    public void Pass_at_k_needs_at_least_k_samples()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(3, 1, 4));
    }

    [Fact]
    public void Summary_reports_accuracy_format_rate_maj_at_k_and_pass_at_k()
    {
        var a = AdditionTask.Create(1, 2);   // 3
        var b = AdditionTask.Create(2, 2);   // 4
        IReadOnlyList<string>[] completions =
        [
            ["<think></think><answer>3</answer>", "<answer>3</answer>", "<think></think><answer>5</answer>"],
            ["<think></think><answer>5</answer>", "<think></think><answer>5</answer>", "<think></think><answer>4</answer>"],
        ];

        var summary = EvalScore.Summarize([a, b], completions, k: 3);

        Assert.Equal(3.0 / 6, summary.Accuracy, precision: 12);
        Assert.Equal(5.0 / 6, summary.FormatRate, precision: 12);
        Assert.Equal(0.5, summary.MajorityAtK, precision: 12);  // a votes 3 (right), b votes 5 (wrong)
        Assert.Equal(1.0, summary.PassAtK, precision: 12);      // each has a correct sample among its 3
        Assert.Equal((2, 3, 3), (summary.Problems, summary.SamplesPerProblem, summary.K));
    }
}
