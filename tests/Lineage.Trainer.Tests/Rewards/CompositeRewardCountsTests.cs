using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Tests.Rewards;

public sealed class CompositeRewardCountsTests
{
    sealed class CountingReward : IRewardFunction, IReportsCounts
    {
        long calls;
        public string Name => "judge";
        public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long> { ["judged"] = calls * 2, ["unparsable"] = calls };

        public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
        {
            calls++;
            return ValueTask.FromResult(new double[completions.Count]);
        }
    }

    [Fact]
    public void Counting_terms_report_their_running_counts_under_the_term_key()
    {
        var composite = new CompositeReward([new WeightedReward("format", new FormatReward(), 1), new WeightedReward("judge", new CountingReward(), 1)]);
        var problems = new[] { new Problem("p", "t", "1+1=", "2") };

        composite.ScoreAsync(problems, ["<answer>2</answer>"], [3], default).AsTask().Wait();
        composite.ScoreAsync(problems, ["<answer>2</answer>"], [3], default).AsTask().Wait();

        Assert.Equal(new Dictionary<string, double> { ["judge/judged"] = 4, ["judge/unparsable"] = 2 }, composite.Counts());
    }
}
