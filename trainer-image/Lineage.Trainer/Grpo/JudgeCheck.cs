using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Grpo;

/// <summary>
/// GRPO's judge check (<see cref="JudgeCheckConfig"/>): the policy samples N completions per held-out problem once; the
/// judge ranks them with best-of-N (<see cref="BestOfNStrategy.Rank"/>) and <see cref="JudgeQualification"/> compares its
/// pick with a random sample. With <c>train</c>, the judge is measured, fine-tuned (<see cref="JudgeTraining"/>) and
/// measured again on the same samples; the second measurement decides.
/// </summary>
public static class JudgeCheck
{
    /// <param name="judge">The judge term's reward; a trained judge is changed in place.</param>
    /// <param name="fallback">What the run trains on if the judge is not used, for the message.</param>
    public static JudgeCheckResult Run(PretrainedModel policy, JudgeReward judge, RewardSpec spec, JudgeCheckConfig check,
        IReadOnlyList<Problem> heldOut, IReadOnlyList<Problem> train, SamplingConfig sampling, string fallback, Action<string> note,
        CancellationToken ct = default)
    {
        var problems = heldOut.Take(check.Problems).ToList();
        if (problems.Count == 0) throw new ConfigError("judgeCheck.data: no held-out problems to qualify the judge on");
        List<List<Candidate>> candidates;
        using (var sampler = new CandidateSampler(batchSize: 64, check.Seed))
            candidates = sampler.Sample(policy, problems.Select(policy.PromptIds).ToList(), check.Samples, sampling, ct);

        var result = Qualify(judge, problems, candidates, check, sampling, fallback, ct);
        if (check.Train is not { } training) return result;

        note($"judge before training: {result.Message}");
        var report = JudgeTraining.Run(policy, judge.Model, spec.Principles, spec.MaxScore, training, train, sampling, check.Seed, ct);
        note($"judge trained on {report.Judgments} judgments of the policy's samples ({report.RightShare:P1} right), {training.Steps} steps, loss {report.FirstLoss:F3} → {report.LastLoss:F3}");
        var after = Qualify(judge, problems, candidates, check, sampling, fallback, ct);
        return after with
        {
            Trained = true,
            PickAccuracyBeforeTraining = result.PickAccuracy,
            Message = $"{after.Message} (before training on {report.Judgments} judgments of its own samples: {result.PickAccuracy:P1})",
        };
    }

    static JudgeCheckResult Qualify(JudgeReward judge, IReadOnlyList<Problem> problems, List<List<Candidate>> candidates, JudgeCheckConfig check,
        SamplingConfig sampling, string fallback, CancellationToken ct)
    {
        long unparsable = judge.Unparsable;
        using var bestOfN = new BestOfNStrategy(check.Samples, sampling, judge, batchSize: 64, check.Seed, ownsRanker: false);
        var solutions = bestOfN.Rank(problems, candidates, ct);
        return JudgeQualification.Of(solutions, check.Margin, judge.Unparsable - unparsable, fallback);
    }
}
