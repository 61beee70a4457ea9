using System.Text.Json.Serialization;

namespace Lineage.Contracts.Store;

/// <summary>
/// progress.json's <c>judge</c>: what GRPO's judge check measured and decided. The operator mirrors it into the GrpoRun's
/// and the Generation's status and the Lineage's history.
/// </summary>
public sealed record JudgeCheckResult
{
    /// <summary><see cref="Reason"/> when the judge's pick beat a random sample by more than the margin: it is used.</summary>
    public const string BetterThanRandom = "JudgeBetterThanRandom";
    /// <summary><see cref="Reason"/> when it did not: the run trains on the verifiable reward instead.</summary>
    public const string NotBetterThanRandom = "JudgeNotBetterThanRandom";

    /// <summary>Share of problems whose judge-picked sample is right (a tie at the top counts as a uniform pick among the tied).</summary>
    [JsonPropertyName("pickAccuracy")] public double PickAccuracy { get; init; }
    /// <summary>Expected accuracy of a random sample: the mean verified accuracy of all samples.</summary>
    [JsonPropertyName("randomAccuracy")] public double RandomAccuracy { get; init; }
    /// <summary>Share of problems with at least one right sample (what a perfect judge would reach).</summary>
    [JsonPropertyName("oracleAccuracy")] public double OracleAccuracy { get; init; }
    /// <summary>Held-out problems judged.</summary>
    [JsonPropertyName("problems")] public int Problems { get; init; }
    /// <summary>Policy samples per problem.</summary>
    [JsonPropertyName("samples")] public int Samples { get; init; }
    /// <summary>The margin the pick accuracy had to exceed the random one by.</summary>
    [JsonPropertyName("margin")] public double Margin { get; init; }
    /// <summary>Judge replies that did not parse (each scored 0, the lowest score).</summary>
    [JsonPropertyName("unparsable")] public long Unparsable { get; init; }
    /// <summary>Whether the run trains with the judge term.</summary>
    [JsonPropertyName("used")] public bool Used { get; init; }
    /// <summary><see cref="BetterThanRandom"/> or <see cref="NotBetterThanRandom"/>.</summary>
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    /// <summary>For a human: the numbers and what the run does.</summary>
    [JsonPropertyName("message")] public string Message { get; init; } = "";
    /// <summary>Whether the judge was fine-tuned on the verifier's labels of the policy's samples before the check.</summary>
    [JsonPropertyName("trained")] public bool Trained { get; init; }
    /// <summary>The judge's pick accuracy on the same samples before that training; null when it was not trained.</summary>
    [JsonPropertyName("pickAccuracyBeforeTraining")] public double? PickAccuracyBeforeTraining { get; init; }
}
