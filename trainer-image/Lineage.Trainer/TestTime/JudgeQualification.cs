using System.Globalization;
using Lineage.Contracts.Store;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// Does a judge earn its place: best-of-N by the judge's score against a random sample, on problems with known answers.
/// A random sample is right with the mean verified accuracy of the N; the judge's pick is the top-scored candidate
/// (<see cref="CandidateRanking"/>), and a tie at the top counts as a uniform pick among the tied — so a judge that scores
/// everything the same (e.g. every reply unparsable, scored 0) is exactly random and never qualifies. Pure arithmetic.
/// </summary>
public static class JudgeQualification
{
    /// <summary>Expected correctness of the judge's pick in one group: the share of right candidates among the top-scored.</summary>
    public static double PickAccuracy(IReadOnlyList<bool> correct, IReadOnlyList<double> scores)
    {
        if (correct.Count != scores.Count) throw new ArgumentException($"{correct.Count} verdicts for {scores.Count} scores", nameof(scores));
        var top = CandidateRanking.Top(scores);
        return (double)top.Count(i => correct[i]) / top.Count;
    }

    /// <summary>A random sample's expected correctness in one group.</summary>
    public static double RandomAccuracy(IReadOnlyList<bool> correct) =>
        correct.Count == 0 ? throw new ArgumentException("a group needs at least one candidate", nameof(correct)) : (double)correct.Count(c => c) / correct.Count;

    /// <summary>The check over groups (one per problem): used when the pick accuracy exceeds the random one by more than <paramref name="margin"/>.</summary>
    /// <param name="fallback">What the run trains on without the judge, for the message (e.g. "accuracy").</param>
    public static JudgeCheckResult Of(IReadOnlyList<(IReadOnlyList<bool> Correct, IReadOnlyList<double> Scores)> groups, double margin, long unparsable,
        string fallback)
    {
        if (groups.Count == 0) throw new ArgumentException("the check needs at least one problem", nameof(groups));
        double pick = groups.Average(g => PickAccuracy(g.Correct, g.Scores));
        double random = groups.Average(g => RandomAccuracy(g.Correct));
        double oracle = groups.Average(g => g.Correct.Any(c => c) ? 1.0 : 0.0);
        bool used = pick - random > margin + 1e-12;
        int samples = groups[0].Correct.Count;
        string numbers = string.Create(CultureInfo.InvariantCulture,
            $"the judge's pick of {samples} is right on {pick:P1} of {groups.Count} held-out problems, a random sample on {random:P1} (best possible {oracle:P1}, margin {margin:0.###})");
        return new JudgeCheckResult
        {
            PickAccuracy = pick, RandomAccuracy = random, OracleAccuracy = oracle, Problems = groups.Count, Samples = samples, Margin = margin,
            Unparsable = unparsable, Used = used,
            Reason = used ? JudgeCheckResult.BetterThanRandom : JudgeCheckResult.NotBetterThanRandom,
            Message = used ? $"{numbers}: the judge is used" : $"{numbers}: the judge is not better than random and is not used; training on {fallback}",
        };
    }

    /// <summary>The check over best-of-N solutions whose rewards are the judge's scores.</summary>
    public static JudgeCheckResult Of(IReadOnlyList<Solution> solutions, double margin, long unparsable, string fallback) =>
        Of(solutions.Select(s => (s.Correct, s.Rewards ?? throw new ArgumentException("a solution without the ranker's rewards", nameof(solutions)))).ToList(),
            margin, unparsable, fallback);
}
