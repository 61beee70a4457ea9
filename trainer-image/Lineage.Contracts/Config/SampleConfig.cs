namespace Lineage.Contracts.Config;

/// <summary>`lineage-trainer sample`: completions for prompts given directly or drawn from a dataset.</summary>
public sealed record SampleConfig : IValidated
{
    public string Model { get; init; } = "";
    /// <summary>Problem texts to complete (formatted with the model's prompt format).</summary>
    public List<string> Prompts { get; init; } = [];
    /// <summary>Or problems from a task or JSONL file.</summary>
    public DataConfig? Data { get; init; }
    /// <summary>Completions per prompt. Default 1.</summary>
    public int N { get; init; } = 1;
    public SamplingConfig Sampling { get; init; } = new() { Temperature = 0 };
    /// <summary>Answer each prompt with a test-time strategy instead (one line per prompt: its answer, vote share or
    /// ranker score, and what it spent); n and sampling are then unused.</summary>
    public TestTimeConfig? TestTime { get; init; }
    public int BatchSize { get; init; } = 64;

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        v.NotEmpty(Model, $"{path}model");
        v.Require(Prompts.Count > 0 || Data is not null, $"{path}prompts", "give prompts or data");
        Data?.Validate(v, $"{path}data.");
        v.InRange(N, 1, 1024, $"{path}n");
        Sampling.Validate(v, $"{path}sampling.");
        TestTime?.Validate(v, $"{path}testTime.");
        v.Positive(BatchSize, $"{path}batchSize");
    }
}
