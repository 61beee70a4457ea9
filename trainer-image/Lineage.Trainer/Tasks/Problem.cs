namespace Lineage.Trainer.Tasks;

/// <summary>
/// One verifiable problem. <see cref="Answer"/> is the reference answer; countdown problems also carry
/// <see cref="Numbers"/> and <see cref="Target"/>, because any expression reaching the target counts.
/// </summary>
public sealed record Problem(
    string Id,
    string Task,
    string Prompt,
    string Answer,
    string? Reasoning = null,
    IReadOnlyList<int>? Numbers = null,
    int? Target = null)
{
    /// <summary>True when verification evaluates an expression against <see cref="Numbers"/> and <see cref="Target"/>.</summary>
    public bool IsCountdown => Numbers is not null && Target is not null;

    /// <summary>The SFT target: the think-format completion of this problem.</summary>
    public string Completion => ThinkFormat.Render(Reasoning, Answer);
}
