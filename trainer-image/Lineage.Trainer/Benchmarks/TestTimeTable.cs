using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Benchmarks;

/// <summary>One row of the strategy table: what the strategy bought and spent, with the CPU seconds it used.</summary>
public sealed record StrategyRow(string Name, TestTimeReport Report, double CpuSeconds);

/// <summary>
/// Every test-time strategy on the same model and problems, one after another: accuracy, pass@N, samples and tokens per
/// problem, wall and CPU seconds. `bench --only test-time` prints it.
/// </summary>
public static class TestTimeTable
{
    /// <summary>The strategies of the table: greedy, maj@N, best-of-N by each ranker given, self-refine with 1 and 2 rounds
    /// (revisions at the sampling temperature and greedy).</summary>
    public static List<(string Name, TestTimeConfig Config)> Strategies(int samples, SamplingConfig sampling, IReadOnlyList<(string Name, RewardSpec Ranker)> rankers)
    {
        var rows = new List<(string, TestTimeConfig)>
        {
            ("greedy", new TestTimeConfig { Strategy = "greedy", Sampling = sampling }),
            ($"maj@{samples} (self-consistency)", new TestTimeConfig { Strategy = "selfConsistency", Samples = samples, Sampling = sampling }),
        };
        foreach (var (name, ranker) in rankers)
            rows.Add(($"best-of-{samples} by {name}", new TestTimeConfig { Strategy = "bestOfN", Samples = samples, Ranker = ranker, Sampling = sampling }));
        foreach (int rounds in new[] { 1, 2 })
        {
            rows.Add(($"self-refine K={rounds} (revisions T={sampling.Temperature})", new TestTimeConfig { Strategy = "selfRefine", Rounds = rounds, Sampling = sampling }));
            rows.Add(($"self-refine K={rounds} (greedy revisions)", new TestTimeConfig { Strategy = "selfRefine", Rounds = rounds, Sampling = sampling with { Temperature = 0 } }));
        }
        return rows;
    }

    public static List<StrategyRow> Measure(PretrainedModel model, IReadOnlyList<Problem> problems, IReadOnlyList<(string Name, TestTimeConfig Config)> strategies,
        int batchSize, long seed, Action<StrategyRow>? measured = null)
    {
        var rows = new List<StrategyRow>();
        foreach (var (name, config) in strategies)
        {
            using var strategy = TestTimeStrategies.Create(config, batchSize, seed, field: name, device: model.Model.Device);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var run = TestTimeRun.Of(strategy, model, problems);
            var row = new StrategyRow(name, run.Report, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
            rows.Add(row);
            measured?.Invoke(row);
        }
        return rows;
    }
}
