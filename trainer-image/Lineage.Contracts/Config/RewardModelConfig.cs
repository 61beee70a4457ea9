namespace Lineage.Contracts.Config;

/// <summary>
/// `lineage-trainer rm`: a scalar-head reward model on the policy's backbone, trained with the
/// Bradley–Terry loss on preference pairs (JSONL prompt, chosen, rejected). Defaults: one epoch-ish
/// of steps at a learning rate of 1e-5 for real 0.5B–8B backbones (the usual reward-model range;
/// InstructGPT used 9e-6), no weight decay, held-out pairwise accuracy every 50 steps. The built-in small
/// models take far more: 1e-3 from scratch, 5e-4 from an SFT backbone (docs/benchmarks/rlaif.md).
/// </summary>
public sealed record RewardModelConfig : IValidated
{
    /// <summary>Backbone to start from: a causal LM or reward model directory; empty = a fresh model shaped by <see cref="Init"/>.</summary>
    public string? Model { get; init; }
    public ModelInit Init { get; init; } = new();
    /// <summary>Where the reward model directory goes (HF LlamaForSequenceClassification layout). Required.</summary>
    public string Output { get; init; } = "";
    /// <summary>Training-state directory; default beside Output (see RunPaths).</summary>
    public string? State { get; init; }
    /// <summary>Training pairs: a JSONL file with prompt, chosen, rejected. Set exactly one of pairs or task.</summary>
    public string? Pairs { get; init; }
    /// <summary>Build pairs from a built-in task instead (chosen = correct trace, rejected = wrong or broken).</summary>
    public DataConfig? Task { get; init; }
    /// <summary>Held-out pairs file; default: the <see cref="HeldOutFraction"/> split of the training pairs
    /// (or the task's test split when <see cref="Task"/> is set).</summary>
    public string? EvalPairs { get; init; }
    /// <summary>Share of file pairs held out for pairwise accuracy when no evalPairs file is given. Default 0.1.</summary>
    public double HeldOutFraction { get; init; } = 0.1;
    /// <summary>Held-out pairs scored at each evaluation (all when 0). Default 500.</summary>
    public int EvalPairsCount { get; init; } = 500;
    public OptimConfig Optim { get; init; } = new() { LearningRate = 1e-5, WarmupSteps = 10, WeightDecay = 0 };
    public int Steps { get; init; } = 200;
    /// <summary>Pairs per micro-batch (each pair is two sequences). Default 16.</summary>
    public int BatchSize { get; init; } = 16;
    public int MaxSeqLen { get; init; } = 256;
    public int EvalEvery { get; init; } = 50;
    public int SaveEvery { get; init; }
    public int KeepCheckpoints { get; init; } = 3;
    public int LogEvery { get; init; } = 10;
    public long Seed { get; init; } = 1;
    public bool Resume { get; init; } = true;

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        if (string.IsNullOrEmpty(Model)) Init.Validate(v, $"{path}init.");
        v.NotEmpty(Output, $"{path}output");
        v.Require(string.IsNullOrEmpty(Pairs) != (Task is null), $"{path}pairs", "set exactly one of pairs or task");
        Task?.Validate(v, $"{path}task.");
        v.Require(HeldOutFraction >= 0 && HeldOutFraction < 1, $"{path}heldOutFraction", $"must be in [0, 1) (got {HeldOutFraction})");
        v.NonNegative(EvalPairsCount, $"{path}evalPairsCount");
        Optim.Validate(v, $"{path}optim.");
        v.Positive(Steps, $"{path}steps");
        v.Positive(BatchSize, $"{path}batchSize");
        v.InRange(MaxSeqLen, 8, 131072, $"{path}maxSeqLen");
        v.NonNegative(EvalEvery, $"{path}evalEvery");
        v.NonNegative(SaveEvery, $"{path}saveEvery");
        v.Positive(KeepCheckpoints, $"{path}keepCheckpoints");
        v.Positive(LogEvery, $"{path}logEvery");
    }
}
