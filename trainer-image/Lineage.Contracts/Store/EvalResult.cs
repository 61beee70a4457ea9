using System.Text.Json.Serialization;

namespace Lineage.Contracts.Store;

/// <summary>eval/result.json: what the promotion gate reads. <see cref="Score"/> is the configured metric.</summary>
public sealed record EvalResult
{
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("task")] public string Task { get; init; } = "";
    [JsonPropertyName("metric")] public string Metric { get; init; } = "greedy";
    [JsonPropertyName("problems")] public int Problems { get; init; }
    [JsonPropertyName("score")] public double Score { get; init; }
    [JsonPropertyName("accuracy")] public double Accuracy { get; init; }
    [JsonPropertyName("formatRate")] public double FormatRate { get; init; }
    [JsonPropertyName("meanCompletionTokens")] public double MeanCompletionTokens { get; init; }
    [JsonPropertyName("scores")] public IReadOnlyDictionary<string, double> Scores { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("finishedAt")] public DateTimeOffset FinishedAt { get; init; }
}
