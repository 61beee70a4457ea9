namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>One generation a lineage bred: where it came from, how it scored, and what the gate said.</summary>
public sealed record LineageHistoryEntry
{
    /// <summary>The Generation's name.</summary>
    public string Name { get; init; } = "";
    /// <summary>Its generation number (its parent's + 1; 0 for the base).</summary>
    public int? GenerationNumber { get; init; }
    /// <summary>The plan step that made it (base for generation 0).</summary>
    public string Step { get; init; } = "";
    /// <summary>The champion it was bred from.</summary>
    public string? Parent { get; init; }
    /// <summary>Its score on the held-out set.</summary>
    public double? Score { get; init; }
    /// <summary>The parent's score when the gate was applied.</summary>
    public double? ParentScore { get; init; }
    /// <summary>Distilled generations: the share of the teacher's test-time gain it kept.</summary>
    public double? Internalisation { get; init; }
    /// <summary>GRPO with a checked judge term: share of held-out problems the judge's pick of N samples got right.</summary>
    public double? JudgePickAccuracy { get; init; }
    /// <summary>The same samples' expected accuracy for a random pick (the bar the judge had to clear).</summary>
    public double? RandomPickAccuracy { get; init; }
    /// <summary>The judge's pick accuracy before it was fine-tuned on the verifier's labels; absent when it was not.</summary>
    public double? JudgePickAccuracyBeforeTraining { get; init; }
    /// <summary>Whether the step trained with the judge (false: it fell back to the verifiable reward).</summary>
    public bool? JudgeUsed { get; init; }
    /// <summary>The Generation's phase: running phases, then Promoted, Rejected or Failed.</summary>
    public string? Result { get; init; }
    /// <summary>The reason of the gate's verdict or of the failure (e.g. NoImprovementOverParent, RewardHackingSuspected).</summary>
    public string? Reason { get; init; }
    /// <summary>Why it ended as it did (the gate's or the failure's message).</summary>
    public string? Message { get; init; }
    /// <summary>When it was created.</summary>
    public DateTime? StartedAt { get; init; }
    /// <summary>When it reached a final phase.</summary>
    public DateTime? FinishedAt { get; init; }
}
