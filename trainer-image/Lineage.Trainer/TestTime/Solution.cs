using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// What a test-time strategy made of one problem: every candidate it generated (samples, or self-refine's attempt then
/// its revisions, in order), which one it chose and the answer it gives.
/// </summary>
/// <param name="Chosen">Index of the candidate the strategy's answer comes from (a voted answer: the first sample that gave it).</param>
/// <param name="Answer">The strategy's answer as the chosen candidate wrote it; null when it found none.</param>
/// <param name="Rewards">bestOfN: the ranker's reward per candidate; null for the other strategies.</param>
/// <param name="Judged">bestOfN with a judge: per candidate, whether every judgment of it parsed (an unparsable one is
/// never a kept trace); null otherwise.</param>
public sealed record Solution(Problem Problem, IReadOnlyList<Candidate> Candidates, int Chosen, string? Answer,
    IReadOnlyList<double>? Rewards = null, IReadOnlyList<bool>? Judged = null)
{
    /// <summary>Completions generated for this problem.</summary>
    public int Samples => Candidates.Count;
    /// <summary>Tokens generated for this problem (prompts not counted).</summary>
    public long Tokens => Candidates.Sum(c => (long)c.Tokens);

    /// <summary>Share of the candidates whose answer is the strategy's answer (self-consistency's vote share).</summary>
    public double Share => Samples == 0 || Answer is null ? 0
        : (double)Candidates.Count(c => c.Answer is not null && AnswerNormalizer.Normalize(c.Answer) == AnswerNormalizer.Normalize(Answer)) / Samples;

    /// <summary>The strategy's answer checked against the problem's reference.</summary>
    public bool IsCorrect => Answer is not null && AnswerVerifier.IsCorrectAnswer(Problem, Answer);

    /// <summary>Any candidate correct (pass@N over what was generated): what a verifier that picks could reach.</summary>
    public bool AnyCorrect => Correct.Any(c => c);

    /// <summary>Per candidate: is its answer right (checked against the problem's reference).</summary>
    public IReadOnlyList<bool> Correct => Candidates.Select(c => c.Answer is not null && AnswerVerifier.IsCorrectAnswer(Problem, c.Answer)).ToList();
}
