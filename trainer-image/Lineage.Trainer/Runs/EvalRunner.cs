using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Runs;

/// <summary>
/// `eval`: scores a model on held-out problems with the configured metric and produces eval/result.json, the file the
/// operator's promotion gate reads. Each metric is a test-time strategy (<see cref="TestTimeStrategies"/>): greedy
/// accuracy, majority = self-consistency's maj@k, passAtK = pass@k of the same k samples, bestOfN = the accuracy of the
/// ranker's pick, selfRefine = the accuracy after the model revises its answer, judge = a judge's mean score of the greedy answers.
/// </summary>
public static class EvalRunner
{
    public static (EvalResult Result, TestTimeRun Run) Evaluate(EvalConfig config, PretrainedModel model, CancellationToken ct = default)
    {
        var problems = ProblemSet.Load(DataLocation.Materialize(config.Data, "data", ct));
        if (problems.Count == 0) throw new ConfigError("data: no problems to evaluate");
        using var strategy = TestTimeStrategies.Create(TestTimeOf(config), config.BatchSize, config.Sampling.Seed, field: "eval", device: model.Model.Device);
        var run = TestTimeRun.Of(strategy, model, problems, ct);
        var report = run.Report;
        double score = config.Metric switch
        {
            "passAtK" => report.PassAtN,
            "judge" => JudgeScore(config, run.Solutions, model.Model.Device, ct),
            _ => report.Accuracy,
        };
        var candidates = EvalScore.Summarize(problems, run.Solutions.Select(s => (IReadOnlyList<string>)s.Candidates.Select(c => c.Text).ToList()).ToList(),
            k: run.Solutions.Min(s => s.Samples));
        var result = new EvalResult
        {
            Model = config.Model,
            Task = config.Data.Task ?? config.Data.Path ?? "",
            Metric = config.Metric,
            Problems = problems.Count,
            Score = score,
            Accuracy = candidates.Accuracy,
            FormatRate = report.FormatRate,
            MeanCompletionTokens = report.TokensPerProblem / report.SamplesPerProblem,
            Scores = Scores(config, run),
            FinishedAt = DateTimeOffset.UtcNow,
        };
        return (result, run);
    }

    /// <summary>The strategy behind a metric: greedy for greedy and judge, k samples for majority / passAtK / bestOfN, rounds for selfRefine.</summary>
    public static TestTimeConfig TestTimeOf(EvalConfig config) => config.Metric switch
    {
        "greedy" or "judge" => new TestTimeConfig { Strategy = "greedy", Sampling = config.Sampling },
        "majority" or "passAtK" => new TestTimeConfig { Strategy = "selfConsistency", Samples = config.K, Sampling = config.Sampling },
        "bestOfN" => new TestTimeConfig { Strategy = "bestOfN", Samples = config.K, Ranker = config.Ranker, Sampling = config.Sampling },
        "selfRefine" => new TestTimeConfig { Strategy = "selfRefine", Rounds = config.Rounds, Sampling = config.Sampling },
        _ => throw new ConfigError($"metric: unknown metric '{config.Metric}'"),
    };

    /// <summary>Mean judge reward over the greedy completions (the judge as the promotion metric, when no verifier exists).</summary>
    static double JudgeScore(EvalConfig config, IReadOnlyList<Solution> solutions, TorchSharp.torch.Device device, CancellationToken ct)
    {
        var judge = RewardFactory.Create(config.Judge!, "judge", device: device);
        try
        {
            var problems = solutions.Select(s => s.Problem).ToList();
            var completions = solutions.Select(s => s.Candidates[s.Chosen].Text).ToList();
            var scores = judge.ScoreAsync(problems, completions, solutions.Select(s => s.Candidates[s.Chosen].Tokens).ToList(), ct).AsTask().GetAwaiter().GetResult();
            return scores.Average();
        }
        finally
        {
            (judge as IDisposable)?.Dispose();
        }
    }

    static Dictionary<string, double> Scores(EvalConfig config, TestTimeRun run)
    {
        var report = run.Report;
        var scores = new Dictionary<string, double>
        {
            ["accuracy"] = report.Accuracy,
            ["formatRate"] = report.FormatRate,
            ["truncationRate"] = report.TruncationRate,
            ["samplesPerProblem"] = report.SamplesPerProblem,
            ["tokensPerProblem"] = report.TokensPerProblem,
            ["seconds"] = report.Seconds,
        };
        if (config.Metric is "majority" or "passAtK" or "bestOfN")
        {
            scores[$"maj@{config.K}"] = run.Solutions.Count(s => SelfConsistencyStrategy.Decide(s.Problem, s.Candidates).IsCorrect) / (double)run.Solutions.Count;
            scores[$"pass@{config.K}"] = report.PassAtN;
            scores["meanVoteShare"] = run.Solutions.Average(s => MajorityVote.Of(s.Candidates.Select(c => c.Answer)).Share);
        }
        if (config.Metric == "selfRefine")
            scores["firstAnswerAccuracy"] = run.Solutions.Count(s => s.Candidates[0].Answer is { } a && AnswerVerifier.IsCorrectAnswer(s.Problem, a)) / (double)run.Solutions.Count;
        return scores;
    }
}
