using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Rewards;

/// <summary>Eval numbers over k samples per problem (k = 1 for greedy).</summary>
/// <param name="Accuracy">Share of all completions whose answer is correct.</param>
/// <param name="FormatRate">Share of all completions in the think format.</param>
/// <param name="MajorityAtK">Share of problems whose majority answer over the samples is correct.</param>
/// <param name="PassAtK">Mean unbiased pass@k over problems.</param>
public sealed record EvalSummary(int Problems, int SamplesPerProblem, int K, double Accuracy, double FormatRate, double MajorityAtK, double PassAtK);

public static class EvalScore
{
    /// <param name="completions">completions[p] are the samples for problems[p]; every problem needs at least k.</param>
    public static EvalSummary Summarize(IReadOnlyList<Problem> problems, IReadOnlyList<IReadOnlyList<string>> completions, int k, double tolerance = AnswerVerifier.DefaultTolerance)
    {
        if (problems.Count != completions.Count)
            throw new ArgumentException($"{problems.Count} problems but {completions.Count} completion groups", nameof(completions));
        if (problems.Count == 0) throw new ArgumentException("no problems to score", nameof(problems));
        int samples = completions.Min(c => c.Count);
        if (samples < k) throw new ArgumentException($"pass@{k} needs at least {k} samples per problem; one problem has {samples}", nameof(k));

        int total = 0, correct = 0, formatted = 0, majorityCorrect = 0;
        double passSum = 0;
        for (int p = 0; p < problems.Count; p++)
        {
            var group = completions[p];
            int groupCorrect = group.Count(c => AnswerVerifier.IsCorrect(problems[p], c, tolerance));
            total += group.Count;
            correct += groupCorrect;
            formatted += group.Count(c => ThinkFormat.IsWellFormed(c));
            passSum += PassAtK.Estimate(group.Count, groupCorrect, k);
            var winner = MajorityVote.Of(group.Take(k).Select(ThinkFormat.FinalAnswer)).Answer;
            if (winner is not null && AnswerVerifier.IsCorrectAnswer(problems[p], winner, tolerance)) majorityCorrect++;
        }
        return new EvalSummary(problems.Count, samples, k,
            (double)correct / total, (double)formatted / total, (double)majorityCorrect / problems.Count, passSum / problems.Count);
    }
}
