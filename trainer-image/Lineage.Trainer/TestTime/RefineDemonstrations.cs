using Lineage.Trainer.Preferences;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// Teaches the self-refine format by SFT: a seeded share of a dataset's rows become revision rows
/// (<see cref="SelfRefinement"/>). The attempt under review is the row's own worked solution half of the time and a
/// wrong one otherwise — the policy's kind of mistake (<see cref="WrongWork"/>: one step off, carried through) where
/// the trace allows it, else a wrong final answer — so the model learns to redo the work, not to copy the attempt.
/// </summary>
public static class RefineDemonstrations
{
    /// <param name="share">Expected fraction of rows replaced, in [0, 1]; 0 returns the rows unchanged.</param>
    public static IReadOnlyList<Problem> Mix(IReadOnlyList<Problem> problems, double share, long seed)
    {
        if (share <= 0) return problems;
        var random = new Random(unchecked((int)(seed * 7_919 + 0x5e1f)));
        var rows = new List<Problem>(problems.Count);
        foreach (var problem in problems)
            rows.Add(random.NextDouble() < share ? Row(problem, random) : problem);
        return rows;
    }

    /// <summary>One revision row for <paramref name="problem"/>: prompt = problem + attempt, reasoning = critique, answer = revised answer.</summary>
    public static Problem Row(Problem problem, Random random)
    {
        string attempt = random.NextDouble() < 0.5 ? problem.Completion
            : WrongWork.Of(problem, random) is { } work ? ThinkFormat.Render(work.Reasoning, work.Answer)
            : ThinkFormat.Render(problem.Reasoning, FlawedCompletion.WrongAnswer(problem, random));
        var (critique, answer) = SelfRefinement.Revision(problem, attempt);
        return problem with { Id = $"refine-{problem.Id}", Prompt = SelfRefinement.Prompt(problem.Prompt, attempt), Answer = answer, Reasoning = critique };
    }
}
