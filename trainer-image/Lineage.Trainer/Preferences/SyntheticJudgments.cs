using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Preferences;

/// <summary>
/// SFT data that teaches a small model to judge (no real LLM judge exists offline): each row's prompt
/// is a <see cref="JudgePrompt"/> over a built-in problem and a candidate (the correct trace 40 % of
/// the time, else one with a <see cref="FlawMix"/> flaw), its reasoning the <see cref="JudgmentCritique"/> and its
/// answer the score. `sft` on these rows trains a judge that replies in the think format the judge reward parses.
/// </summary>
public static class SyntheticJudgments
{
    public static IReadOnlyList<Problem> From(IReadOnlyList<Problem> problems, IReadOnlyList<string> principles, int maxScore, long seed)
    {
        var random = new Random(unchecked((int)(seed * 1_000_003 + 0x1d9e)));
        var rows = new List<Problem>(problems.Count);
        foreach (var problem in problems)
        {
            string candidate = random.NextDouble() < 0.4 ? problem.Completion : FlawedCompletion.With(problem, FlawMix.Draw(random), random);
            rows.Add(Row(problem, candidate, principles, maxScore, $"judge-{problem.Id}"));
        }
        return rows;
    }

    /// <summary>
    /// One judge SFT row for any candidate of a problem with a known answer (a synthetic flaw, or a policy's real sample):
    /// the judge prompt, the verifier-backed critique as reasoning, the score as answer.
    /// </summary>
    public static Problem Row(Problem problem, string candidate, IReadOnlyList<string> principles, int maxScore, string id)
    {
        var (critique, score) = JudgmentCritique.For(problem, candidate, maxScore);
        return new Problem(id, "judge", JudgePrompt.Render(principles, problem.Prompt, candidate, maxScore),
            score.ToString(System.Globalization.CultureInfo.InvariantCulture), critique);
    }
}
