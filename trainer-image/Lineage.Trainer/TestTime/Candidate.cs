using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.TestTime;

/// <summary>
/// One completion a strategy generated for a problem. <see cref="Trace"/> is what a student would be trained to write
/// for the problem's own prompt: the completion itself for a sample, the redone work and the revised answer for a
/// self-refine revision (whose text is a critique of an attempt the student will not see); null when there is none.
/// </summary>
public sealed record Candidate(string Text, int Tokens, bool Truncated, string? Trace)
{
    public Candidate(string text, int tokens, bool truncated) : this(text, tokens, truncated, text) { }

    /// <summary>The final answer (<see cref="ThinkFormat.FinalAnswer"/>), null when the completion has none.</summary>
    public string? Answer { get; } = ThinkFormat.FinalAnswer(Text);
}
