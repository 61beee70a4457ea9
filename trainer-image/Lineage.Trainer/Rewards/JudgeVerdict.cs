namespace Lineage.Trainer.Rewards;

public enum JudgeReplyStatus
{
    Scored,
    /// <summary>No closed score block (garbage, or cut off by the token budget).</summary>
    MissingScore,
    /// <summary>A score block whose content is not a number.</summary>
    NotANumber,
    /// <summary>A number outside [0, maxScore].</summary>
    OutOfRange,
}

/// <summary>What one judge reply said. <see cref="Reward"/> is score / maxScore, and 0 when the reply did not parse.</summary>
public sealed record JudgeVerdict(JudgeReplyStatus Status, double? Score, string? Critique, int MaxScore)
{
    public bool Parsed => Status == JudgeReplyStatus.Scored;
    public double Reward => Parsed ? Score!.Value / MaxScore : 0;
}
