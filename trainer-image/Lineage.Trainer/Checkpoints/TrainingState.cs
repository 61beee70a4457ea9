using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lineage.Trainer.Checkpoints;

/// <summary>trainer_state.json: everything beyond weights and optimizer moments that an exact resume needs.</summary>
public sealed record TrainingState
{
    public const string FileName = "trainer_state.json";

    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    /// <summary>Optimizer steps completed.</summary>
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("seed")] public long Seed { get; init; }
    /// <summary>Global sample position of the next batch.</summary>
    [JsonPropertyName("dataPosition")] public long DataPosition { get; init; }
    /// <summary>Optimizer updates applied, when a step is not one update (GRPO: μ per step, none on a skipped step).</summary>
    [JsonPropertyName("optimizerStep")] public long? OptimizerStep { get; init; }
    /// <summary>Sampling generator state (base64), for runs that sample (GRPO, DPO on the fly).</summary>
    [JsonPropertyName("generatorState")] public string? GeneratorState { get; init; }
    /// <summary>GRPO: the rewards of the run's first and latest steps (progress.json's rewardFirst and rewardLast).</summary>
    [JsonPropertyName("firstRewards")] public IReadOnlyList<double>? FirstRewards { get; init; }
    [JsonPropertyName("lastRewards")] public IReadOnlyList<double>? LastRewards { get; init; }
    /// <summary>GRPO: the judge check's result, so a resumed run keeps its decision (and reports it) without checking again.</summary>
    [JsonPropertyName("judge")] public Lineage.Contracts.Store.JudgeCheckResult? Judge { get; init; }
    [JsonPropertyName("metrics")] public Dictionary<string, double> Metrics { get; init; } = [];
    [JsonPropertyName("savedAt")] public DateTimeOffset SavedAt { get; init; }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static TrainingState Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), Json) ?? throw new JsonException("empty document");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid training state: {e.Message}", e);
        }
    }
}
