namespace Lineage.Contracts.Config;

/// <summary>`lineage-trainer sft`: supervised fine-tuning on the think format, loss on completion tokens only.</summary>
public sealed record SftConfig : IValidated
{
    /// <summary>Model directory or store URI to start from; empty = a fresh model shaped by <see cref="Init"/>.</summary>
    public string? Model { get; init; }
    public ModelInit Init { get; init; } = new();
    /// <summary>Where the trained model directory goes (path or store URI). Required.</summary>
    public string Output { get; init; } = "";
    /// <summary>Training-state directory (optimizer, RNG, data position); default: Output + "-state" beside it.</summary>
    public string? State { get; init; }
    public DataConfig Train { get; init; } = new() { Task = "addition" };
    public DataConfig? Eval { get; init; }
    public OptimConfig Optim { get; init; } = new();
    public int Steps { get; init; } = 1000;
    /// <summary>Sequences per micro-batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;
    public int MaxSeqLen { get; init; } = 256;
    /// <summary>Pack several examples per row (block-diagonal attention) instead of padding.</summary>
    public bool Packing { get; init; }
    public int EvalEvery { get; init; } = 0;
    public int EvalProblems { get; init; } = 200;
    public int SaveEvery { get; init; } = 0;
    public int LogEvery { get; init; } = 10;
    public long Seed { get; init; } = 1;
    /// <summary>Resume from the latest training state when present. Default true.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        if (string.IsNullOrEmpty(Model)) Init.Validate(v, $"{path}init.");
        v.NotEmpty(Output, $"{path}output");
        Train.Validate(v, $"{path}train.");
        Eval?.Validate(v, $"{path}eval.");
        Optim.Validate(v, $"{path}optim.");
        v.Positive(Steps, $"{path}steps");
        v.Positive(BatchSize, $"{path}batchSize");
        v.InRange(MaxSeqLen, 8, 131072, $"{path}maxSeqLen");
        v.NonNegative(EvalEvery, $"{path}evalEvery");
        v.Positive(EvalProblems, $"{path}evalProblems");
        v.NonNegative(SaveEvery, $"{path}saveEvery");
        v.Positive(LogEvery, $"{path}logEvery");
    }
}
