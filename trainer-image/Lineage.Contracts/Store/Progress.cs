using System.Text.Json.Serialization;

namespace Lineage.Contracts.Store;

/// <summary>progress.json: the trainer rewrites it at least every 30 s; the operator mirrors it into status.</summary>
public sealed record Progress
{
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";          // sft | grpo | dpo | rm | distill | eval
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("totalSteps")] public long TotalSteps { get; init; }
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("lastCheckpoint")] public string? LastCheckpoint { get; init; }
    [JsonPropertyName("done")] public bool Done { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
}
