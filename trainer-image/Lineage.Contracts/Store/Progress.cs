using System.Text.Json.Serialization;

namespace Lineage.Contracts.Store;

/// <summary>progress.json: the trainer rewrites it at least every 30 s; the operator mirrors it into status.</summary>
public sealed record Progress
{
    /// <summary>
    /// GRPO's training reward at the start and at the end of the run, in <see cref="Metrics"/>: the mean total reward of
    /// the first and of the latest <see cref="RewardWindow"/> steps (fewer before that many ran), since one step's batch
    /// mean is noisy. The operator's gate weighs them against the held-out score: a reward that rose while the held-out
    /// score fell is reward hacking. Older trainers do not write them.
    /// </summary>
    public const string RewardFirst = "rewardFirst";
    /// <inheritdoc cref="RewardFirst"/>
    public const string RewardLast = "rewardLast";
    /// <summary>Steps averaged into <see cref="RewardFirst"/> and <see cref="RewardLast"/>.</summary>
    public const int RewardWindow = 10;

    [JsonPropertyName("kind")] public string Kind { get; init; } = "";          // sft | grpo | dpo | rm | distill | eval
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("totalSteps")] public long TotalSteps { get; init; }
    [JsonPropertyName("metrics")] public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();
    [JsonPropertyName("lastCheckpoint")] public string? LastCheckpoint { get; init; }
    [JsonPropertyName("done")] public bool Done { get; init; }
    /// <summary>GRPO with a judge term: the judge check, written before the first step and kept in every later write.</summary>
    [JsonPropertyName("judge")] public JudgeCheckResult? Judge { get; init; }
    [JsonPropertyName("updatedAt")] public DateTimeOffset UpdatedAt { get; init; }
}
