using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;

namespace Lineage.Trainer.Distillation;

/// <summary>What the teacher's pass over the prompts produced.</summary>
/// <param name="Generated">Completions the teacher generated (candidates of every prompt).</param>
public sealed record TraceHarvest(IReadOnlyList<KeptTrace> Traces, long Generated, TestTimeReport Report);

/// <summary>
/// The teacher spends its strategy on the prompts, chunk by chunk, and each solution's candidates go through the
/// <see cref="TraceFilter"/>; kept candidates become <see cref="KeptTrace"/>s with their provenance. With a judge and a
/// strategy that does not rank by it, the judge scores each solution's chosen candidate first.
/// </summary>
public static class TraceHarvester
{
    /// <param name="progress">After each chunk: prompts done, completions generated, traces kept.</param>
    public static TraceHarvest Collect(PretrainedModel teacher, string teacherName, ITestTimeStrategy strategy, IReadOnlyList<Problem> prompts,
        TraceFilterSettings filter, IRewardFunction? judge, int chunk, Action<int, long, int>? progress = null, CancellationToken ct = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var traces = new List<KeptTrace>();
        var solutions = new List<Solution>(prompts.Count);
        long generated = 0;
        for (int start = 0; start < prompts.Count; start += chunk)
        {
            var batch = strategy.Solve(teacher, prompts.Skip(start).Take(chunk).ToList(), ct);
            if (judge is not null && batch.Any(s => s.Rewards is null)) batch = JudgeChosen(batch, judge, ct);
            foreach (var solution in batch)
            {
                generated += solution.Samples;
                traces.AddRange(TraceFilter.Keep(solution, filter).Select((i, k) => TraceOf(solution, i, k, teacherName, strategy.Name, filter.Filter)));
            }
            solutions.AddRange(batch);
            progress?.Invoke(solutions.Count, generated, traces.Count);
        }
        return new TraceHarvest(traces, generated, TestTimeReport.Of(strategy.Name, solutions, clock.Elapsed.TotalSeconds));
    }

    /// <summary>Candidate <paramref name="index"/> of <paramref name="solution"/> as the <paramref name="k"/>-th trace of its prompt.</summary>
    public static KeptTrace TraceOf(Solution solution, int index, int k, string teacher, string strategy, string filter)
    {
        var candidate = solution.Candidates[index];
        if (candidate.Trace is null || !ThinkFormat.TryParse(candidate.Trace, out string reasoning, out string answer))
            throw new ArgumentException($"candidate {index} of {solution.Problem.Id} has no well-formed trace", nameof(index));
        var problem = solution.Problem;
        string normalized = AnswerNormalizer.Normalize(answer);
        double share = (double)solution.Candidates.Count(c => c.Answer is { } a && AnswerNormalizer.Normalize(a) == normalized) / solution.Samples;
        bool? verified = problem.Answer.Length == 0 ? null : AnswerVerifier.IsCorrectAnswer(problem, answer);
        double? score = solution.Rewards is { } r && double.IsFinite(r[index]) ? r[index] : null;
        return new KeptTrace($"{problem.Id}/{k}", problem.Task, problem.Prompt, reasoning, answer, problem.Answer, teacher, strategy, filter,
            share, score, verified, solution.Samples);
    }

    /// <summary>The judge's score of each solution's chosen candidate (the others stay unscored: NaN, not judged).</summary>
    static IReadOnlyList<Solution> JudgeChosen(IReadOnlyList<Solution> solutions, IRewardFunction judge, CancellationToken ct)
    {
        var chosen = solutions.Select(s => s.Candidates[s.Chosen]).ToList();
        var scores = judge.ScoreAsync(solutions.Select(s => s.Problem).ToList(), chosen.Select(c => c.Text).ToList(), chosen.Select(c => c.Tokens).ToList(), ct)
            .AsTask().GetAwaiter().GetResult();
        var parsed = judge is JudgeReward j ? j.LastVerdicts : null;
        int each = parsed is null ? 0 : parsed.Count / solutions.Count;
        return solutions.Select((s, i) =>
        {
            var rewards = Enumerable.Repeat(double.NaN, s.Samples).ToArray();
            var judged = new bool[s.Samples];
            rewards[s.Chosen] = scores[i];
            judged[s.Chosen] = parsed is null || parsed.Skip(i * each).Take(each).All(v => v.Parsed);
            return s with { Rewards = rewards, Judged = judged };
        }).ToList();
    }
}
