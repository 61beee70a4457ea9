namespace Lineage.Trainer.Rewards;

/// <summary>
/// The text a judge reads (the judge model's prompt format wraps it): its principles, the problem,
/// the candidate, and the reply form. Short on purpose: the built-in judges read it character by
/// character. <c>tasks --judgments</c> and the judge reward both render it here, so a trained judge
/// sees at scoring time exactly the prompts it learned on.
/// </summary>
public static class JudgePrompt
{
    /// <summary>The constitution the built-in judges are trained with (and the default for `tasks --judgments`).</summary>
    public static readonly IReadOnlyList<string> DefaultPrinciples = ["the answer is correct", "think, then answer"];

    public static string Render(IReadOnlyList<string> principles, string problem, string candidate, int maxScore) =>
        $"principles: {string.Join("; ", principles)}\nproblem: {problem}\ncandidate: {candidate}\ncritique, then score 0-{maxScore}";
}
