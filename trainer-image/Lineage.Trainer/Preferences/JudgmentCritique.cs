using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Preferences;

/// <summary>
/// The critique and score a verifier-backed judge writes for a candidate: it redoes the work (the
/// reference reasoning), compares the candidate's answer, checks the format, then scores
/// maxScore × (0.8·correct + 0.2·well-formed) — the weights of the default accuracy + format rewards.
/// Self-refinement's revisions think the same critique before they answer (<see cref="TestTime.SelfRefinement"/>).
/// </summary>
public static class JudgmentCritique
{
    const string Given = "; got ";

    public static (string Critique, int Score) For(Problem problem, string candidate, int maxScore)
    {
        string? given = ThinkFormat.FinalAnswer(candidate);
        bool correct = AnswerVerifier.IsCorrect(problem, candidate);
        bool wellFormed = ThinkFormat.IsWellFormed(candidate);
        string work = problem.IsCountdown ? $"target {problem.Target}"
            : problem.Reasoning is { Length: > 0 } r ? r
            : $"expected {problem.Answer}";
        string critique = $"{work}{Given}{(string.IsNullOrEmpty(given) ? "no answer" : given)}: {(correct ? "right" : "wrong")}; format {(wellFormed ? "ok" : "broken")}";
        int score = (int)Math.Round(maxScore * (0.8 * (correct ? 1 : 0) + 0.2 * (wellFormed ? 1 : 0)), MidpointRounding.AwayFromZero);
        return (critique, score);
    }

    /// <summary>The work a critique redid (the text before "; got "), null when the text is not a critique of this shape.</summary>
    public static string? Work(string critique)
    {
        int given = critique.IndexOf(Given, StringComparison.Ordinal);
        return given <= 0 ? null : critique[..given];
    }
}
