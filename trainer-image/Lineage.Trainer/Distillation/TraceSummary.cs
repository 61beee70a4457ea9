namespace Lineage.Trainer.Distillation;

/// <summary>
/// datasets/summary.json, published with the traces: what the teacher spent and scored, so a resumed distillation
/// reports the teacher's figures without loading it again.
/// </summary>
public sealed record TraceSummary
{
    public const string FileName = "summary.json";

    public string Teacher { get; init; } = "";
    public string Strategy { get; init; } = "";
    public string Filter { get; init; } = "";
    public int Prompts { get; init; }
    public long TracesGenerated { get; init; }
    public long TracesKept { get; init; }
    /// <summary>Teacher's greedy accuracy on the held-out problems.</summary>
    public double? TeacherAccuracy { get; init; }
    /// <summary>Teacher's accuracy with the strategy on the same problems (pass@N for the verified filter).</summary>
    public double? TeacherAccuracyWithStrategy { get; init; }
    public int HeldOutProblems { get; init; }
    /// <summary>The strategy's accuracy on the training prompts (their reference answers).</summary>
    public double? PromptAccuracy { get; init; }
    public double SamplesPerPrompt { get; init; }
    public double TokensPerPrompt { get; init; }
    /// <summary>Wall time of the teacher's work (held-out scoring and trace generation).</summary>
    public double Seconds { get; init; }

    /// <summary>The progress.json metrics this summary contributes (the names the operator mirrors).</summary>
    public Dictionary<string, double> Metrics()
    {
        var metrics = new Dictionary<string, double> { ["tracesGenerated"] = TracesGenerated, ["tracesKept"] = TracesKept };
        if (TeacherAccuracy is { } greedy) metrics["teacherAccuracy"] = greedy;
        if (TeacherAccuracyWithStrategy is { } withStrategy) metrics["teacherAccuracyWithStrategy"] = withStrategy;
        return metrics;
    }
}
