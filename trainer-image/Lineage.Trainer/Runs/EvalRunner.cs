using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Runs;

/// <summary>
/// `eval`: scores a model on held-out problems with the configured metric and produces eval/result.json,
/// the file the operator's promotion gate reads. Score = greedy accuracy, maj@k, pass@k (or a judge's mean score).
/// </summary>
public static class EvalRunner
{
    public static (EvalResult Result, EvalRun Run) Evaluate(EvalConfig config, PretrainedModel model)
    {
        var problems = ProblemSet.Load(config.Data);
        if (problems.Count == 0) throw new ConfigError("data: no problems to evaluate");
        var run = config.Metric switch
        {
            "greedy" => Evaluator.Run(model, problems, config.Sampling with { Temperature = 0 }, 1, 1, config.BatchSize, config.Sampling.Seed),
            "majority" or "passAtK" or "bestOfN" => Evaluator.Run(model, problems, config.Sampling, config.K, config.K, config.BatchSize, config.Sampling.Seed),
            "judge" => Evaluator.Run(model, problems, config.Sampling with { Temperature = 0 }, 1, 1, config.BatchSize, config.Sampling.Seed),
            _ => throw new ConfigError($"metric: unknown metric '{config.Metric}'"),
        };
        double score = config.Metric switch
        {
            "majority" => run.Summary.MajorityAtK,
            "passAtK" => run.Summary.PassAtK,
            "judge" => JudgeScore(config, problems, run),
            "bestOfN" => BestOfNScore(config, problems, run),
            _ => run.Summary.Accuracy,
        };
        var result = new EvalResult
        {
            Model = config.Model,
            Task = config.Data.Task ?? config.Data.Path ?? "",
            Metric = config.Metric,
            Problems = problems.Count,
            Score = score,
            Accuracy = run.Summary.Accuracy,
            FormatRate = run.Summary.FormatRate,
            MeanCompletionTokens = run.MeanCompletionTokens,
            Scores = Scores(config, run),
            FinishedAt = DateTimeOffset.UtcNow,
        };
        return (result, run);
    }

    /// <summary>Mean judge reward over the greedy completions (the judge as the promotion metric, when no verifier exists).</summary>
    static double JudgeScore(EvalConfig config, IReadOnlyList<Problem> problems, EvalRun run)
    {
        var judge = Rewards.RewardFactory.Create(config.Judge!, "judge");
        try
        {
            var completions = run.Completions.Select(c => c[0]).ToList();
            var scores = judge.ScoreAsync(problems, completions, completions.Select(c => c.Length).ToList(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return scores.Average();
        }
        finally
        {
            (judge as IDisposable)?.Dispose();
        }
    }

    /// <summary>Best-of-N with a learned (or rule) ranker: the verified accuracy of the completion the ranker scores highest.</summary>
    static double BestOfNScore(EvalConfig config, IReadOnlyList<Problem> problems, EvalRun run)
    {
        var ranker = Rewards.RewardFactory.Create(config.Ranker!, "ranker");
        try
        {
            int correct = 0;
            for (int p = 0; p < problems.Count; p++)
            {
                var candidates = run.Completions[p];
                var rewards = ranker.ScoreAsync(Enumerable.Repeat(problems[p], candidates.Count).ToList(), candidates,
                    candidates.Select(c => c.Length).ToList(), CancellationToken.None).AsTask().GetAwaiter().GetResult();
                if (Rewards.AnswerVerifier.IsCorrect(problems[p], candidates[Preferences.BestOfN.Pick(rewards)])) correct++;
            }
            return (double)correct / problems.Count;
        }
        finally
        {
            (ranker as IDisposable)?.Dispose();
        }
    }

    static Dictionary<string, double> Scores(EvalConfig config, EvalRun run)
    {
        var scores = new Dictionary<string, double>
        {
            ["accuracy"] = run.Summary.Accuracy,
            ["formatRate"] = run.Summary.FormatRate,
            ["truncationRate"] = run.TruncationRate,
        };
        if (config.Metric is "majority" or "passAtK" or "bestOfN")
        {
            scores[$"maj@{config.K}"] = run.Summary.MajorityAtK;
            scores[$"pass@{config.K}"] = run.Summary.PassAtK;
        }
        return scores;
    }
}
