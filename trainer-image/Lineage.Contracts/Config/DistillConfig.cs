namespace Lineage.Contracts.Config;

/// <summary>
/// `lineage-trainer distill`: the teacher spends test-time compute (self-consistency, best-of-N or
/// self-refine), traces pass a filter, and a student is fine-tuned on them.
/// </summary>
public sealed record DistillConfig : IValidated
{
    public static readonly string[] Strategies = ["selfConsistency", "bestOfN", "selfRefine"];
    public static readonly string[] Filters = ["verified", "judgeScore", "consistency"];

    public string Teacher { get; init; } = "";
    /// <summary>Student initialisation; default the teacher itself.</summary>
    public string? Student { get; init; }
    public string Output { get; init; } = "";
    public string? State { get; init; }
    public string Strategy { get; init; } = "selfConsistency";
    /// <summary>Samples per prompt (N). Default 8.</summary>
    public int N { get; init; } = 8;
    public SamplingConfig Sampling { get; init; } = new() { Temperature = 0.8 };
    /// <summary>bestOfN: the reward that ranks candidates.</summary>
    public RewardSpec? Ranker { get; init; }
    public DataConfig Prompts { get; init; } = new() { Task = "multiplication", Digits = 2 };
    /// <summary>verified (answer checked), judgeScore (≥ minJudgeScore), consistency (majority share ≥ threshold).</summary>
    public string Filter { get; init; } = "verified";
    public double MinJudgeScore { get; init; } = 0.7;
    public double ConsistencyThreshold { get; init; } = 0.5;
    public int SftSteps { get; init; } = 300;
    public int BatchSize { get; init; } = 32;
    public OptimConfig Optim { get; init; } = new() { LearningRate = 3e-4 };
    public long Seed { get; init; } = 1;

    public void Validate(Validation v, string path)
    {
        v.NotEmpty(Teacher, $"{path}teacher");
        v.NotEmpty(Output, $"{path}output");
        v.OneOf(Strategy, Strategies, $"{path}strategy");
        v.InRange(N, 1, 1024, $"{path}n");
        Sampling.Validate(v, $"{path}sampling.");
        v.Require(Strategy != "bestOfN" || Ranker is not null, $"{path}ranker", "is required for bestOfN");
        Ranker?.Validate(v, $"{path}ranker.");
        Prompts.Validate(v, $"{path}prompts.");
        v.OneOf(Filter, Filters, $"{path}filter");
        v.InRange(MinJudgeScore, 0, 1, $"{path}minJudgeScore");
        v.InRange(ConsistencyThreshold, 0, 1, $"{path}consistencyThreshold");
        v.Positive(SftSteps, $"{path}sftSteps");
        v.Positive(BatchSize, $"{path}batchSize");
        Optim.Validate(v, $"{path}optim.");
    }
}
