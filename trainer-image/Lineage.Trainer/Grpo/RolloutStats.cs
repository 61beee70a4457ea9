using Lineage.Trainer.Rewards;

namespace Lineage.Trainer.Grpo;

/// <summary>What a batch of rollouts looked like, as the step's JSON line reports it (TRL's reward/completion metrics).</summary>
public static class RolloutStats
{
    /// <summary>
    /// reward, rewardStd; reward/{key} and reward/{key}/std per term (unweighted); accuracy (answer verified, whatever
    /// the rewards); completionLength mean/max in generated tokens; truncationRate.
    /// </summary>
    public static Dictionary<string, double> Of(IReadOnlyList<Rollout> rollouts, RewardScores scores)
    {
        var metrics = new Dictionary<string, double>
        {
            ["reward"] = Mean(scores.Total),
            ["rewardStd"] = Std(scores.Total),
        };
        foreach (var term in scores.Terms)
        {
            metrics[$"reward/{term.Key}"] = Mean(term.Values);
            metrics[$"reward/{term.Key}/std"] = Std(term.Values);
        }
        metrics["accuracy"] = rollouts.Average(r => AnswerVerifier.IsCorrect(r.Problem, r.Text) ? 1.0 : 0.0);
        metrics["completionLength"] = rollouts.Average(r => (double)r.GeneratedTokens);
        metrics["completionLengthMax"] = rollouts.Max(r => r.GeneratedTokens);
        metrics["truncationRate"] = rollouts.Average(r => r.Truncated ? 1.0 : 0.0);
        return metrics;
    }

    static double Mean(IReadOnlyList<double> values) => values.Count == 0 ? 0 : values.Average();

    /// <summary>Population standard deviation: a description of the batch, not an estimate.</summary>
    static double Std(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return 0;
        double mean = values.Average();
        return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / values.Count);
    }
}
