namespace Lineage.Contracts.Config;

/// <summary>
/// `lineage-trainer dpo`: Direct Preference Optimization (Rafailov et al. 2023) with the sigmoid loss
/// against a frozen reference. Pairs come from a file, or are built on the fly: sample
/// <see cref="NumGenerations"/> completions per prompt from the current policy, score them with
/// <see cref="Rewards"/> (rule, rewardModel or judge), chosen = best, rejected = worst — preference
/// learning with no human in the loop. Defaults follow the DPO paper and TRL's DPOConfig: β = 0.1,
/// learning rate 1e-6 for real 0.5B–8B models, no label smoothing; <see cref="ForSmallModels"/> holds
/// the tuned values for the built-in small models.
/// </summary>
public sealed record DpoConfig : IValidated
{
    /// <summary>Policy to improve: model directory. Required.</summary>
    public string Policy { get; init; } = "";
    /// <summary>Frozen reference; default the initial policy.</summary>
    public string? Reference { get; init; }
    /// <summary>Trained model directory. Required.</summary>
    public string Output { get; init; } = "";
    /// <summary>Training-state directory; default beside Output (see RunPaths).</summary>
    public string? State { get; init; }
    /// <summary>Preference pairs (JSONL prompt, chosen, rejected). Set exactly one of pairs or data.</summary>
    public string? Pairs { get; init; }
    /// <summary>Prompts for on-the-fly pairs: the policy samples, the rewards rank.</summary>
    public DataConfig? Data { get; init; }
    /// <summary>On the fly: how completions are ranked. Default accuracy + 0.2 × format.</summary>
    public List<RewardSpec> Rewards { get; init; } = [new() { Name = "accuracy" }, new() { Name = "format", Weight = 0.2 }];
    /// <summary>On the fly: completions sampled per prompt; chosen = highest reward, rejected = lowest. Default 2.</summary>
    public int NumGenerations { get; init; } = 2;
    /// <summary>On the fly: how completions are drawn.</summary>
    public SamplingConfig Sampling { get; init; } = new() { Temperature = 1.0, MaxNewTokens = 256 };
    /// <summary>β, the strength of the pull towards the reference. Default 0.1.</summary>
    public double Beta { get; init; } = 0.1;
    /// <summary>cDPO label smoothing in [0, 0.5). Default 0.</summary>
    public double LabelSmoothing { get; init; }
    public OptimConfig Optim { get; init; } = new() { LearningRate = 1e-6, WarmupSteps = 10, MinLearningRateRatio = 1.0, WeightDecay = 0 };
    public int Steps { get; init; } = 200;
    /// <summary>Pairs per step. On the fly, prompts with all-equal rewards give no pair and are counted, so a step may hold fewer. Default 16.</summary>
    public int BatchSize { get; init; } = 16;
    public int MaxSeqLen { get; init; } = 512;
    public DataConfig? Eval { get; init; }
    public int EvalEvery { get; init; }
    public int EvalProblems { get; init; } = 200;
    public int SaveEvery { get; init; } = 50;
    public int KeepCheckpoints { get; init; } = 3;
    public int LogEvery { get; init; } = 1;
    public long Seed { get; init; } = 1;
    public bool Resume { get; init; } = true;

    /// <summary>Tuned for the built-in small models (hidden 256, 4 layers) on CPU.</summary>
    public static DpoConfig ForSmallModels(string policy, string output) => new()
    {
        Policy = policy,
        Output = output,
        NumGenerations = 4,
        BatchSize = 16,
        Beta = 0.1,
        Optim = new() { LearningRate = 1e-5, WarmupSteps = 5, MinLearningRateRatio = 1.0, WeightDecay = 0 },
        Sampling = new() { Temperature = 1.0, MaxNewTokens = 96 },
        MaxSeqLen = 160,
    };

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        v.NotEmpty(Policy, $"{path}policy");
        v.NotEmpty(Output, $"{path}output");
        v.Require(string.IsNullOrEmpty(Pairs) != (Data is null), $"{path}pairs", "set exactly one of pairs or data");
        Data?.Validate(v, $"{path}data.");
        if (Data is not null)
        {
            v.Require(Rewards.Count > 0, $"{path}rewards", "at least one reward is required to rank on-the-fly pairs");
            for (int i = 0; i < Rewards.Count; i++) Rewards[i].Validate(v, $"{path}rewards[{i}].");
        }
        v.InRange(NumGenerations, 2, 64, $"{path}numGenerations");
        Sampling.Validate(v, $"{path}sampling.");
        v.Positive(Beta, $"{path}beta");
        v.Require(LabelSmoothing >= 0 && LabelSmoothing < 0.5, $"{path}labelSmoothing", $"must be in [0, 0.5) (got {LabelSmoothing})");
        Optim.Validate(v, $"{path}optim.");
        v.Positive(Steps, $"{path}steps");
        v.Positive(BatchSize, $"{path}batchSize");
        v.InRange(MaxSeqLen, 8, 131072, $"{path}maxSeqLen");
        Eval?.Validate(v, $"{path}eval.");
        v.NonNegative(EvalEvery, $"{path}evalEvery");
        v.Positive(EvalProblems, $"{path}evalProblems");
        v.NonNegative(SaveEvery, $"{path}saveEvery");
        v.Positive(KeepCheckpoints, $"{path}keepCheckpoints");
        v.Positive(LogEvery, $"{path}logEvery");
    }
}
