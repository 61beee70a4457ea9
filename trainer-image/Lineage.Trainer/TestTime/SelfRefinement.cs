using Lineage.Trainer.Preferences;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// The self-refine format, the one place both its demonstrations and the strategy read. A revision round's prompt is
/// the problem followed by the attempt under review (<c>47*85= attempt: &lt;think&gt;…&lt;/think&gt;&lt;answer&gt;3985&lt;/answer&gt;</c>);
/// the revision thinks a critique that redoes the work and checks the attempt's answer and format
/// (<see cref="JudgmentCritique"/>), then answers again:
/// <c>&lt;think&gt;47*5=235|47*80=3760|235+3760=3995; got 3985: wrong; format ok&lt;/think&gt;&lt;answer&gt;3995&lt;/answer&gt;</c>.
/// </summary>
public static class SelfRefinement
{
    const string AttemptCue = " attempt: ";

    /// <summary>The problem text of a revision round (a prompt format wraps it like any problem).</summary>
    public static string Prompt(string problem, string attempt) => $"{problem}{AttemptCue}{attempt.Trim()}";

    /// <summary>
    /// The revision a correct reviewer writes for <paramref name="attempt"/>: the critique, then the attempt's answer when
    /// it is right (a different correct countdown expression stays) and the reference answer when it is not.
    /// </summary>
    public static (string Critique, string Answer) Revision(Problem problem, string attempt)
    {
        var (critique, _) = JudgmentCritique.For(problem, attempt, maxScore: 10);
        string answer = ThinkFormat.FinalAnswer(attempt) is { } given && Rewards.AnswerVerifier.IsCorrectAnswer(problem, given) ? given : problem.Answer;
        return (critique, answer);
    }

    /// <summary>
    /// What a student can learn from a revision without its attempt: the redone work and the revised answer in the direct
    /// format. Null when the revision is not a well-formed critique and answer.
    /// </summary>
    public static string? DirectTrace(string revision) =>
        ThinkFormat.TryParse(revision, out string critique, out string answer) && JudgmentCritique.Work(critique) is { } work
            ? ThinkFormat.Render(work, answer)
            : null;
}
