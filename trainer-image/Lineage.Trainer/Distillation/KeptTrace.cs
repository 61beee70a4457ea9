using System.Text.Json.Serialization;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Distillation;

/// <summary>
/// One kept trace: a prompt and the completion the student learns to write (its reasoning and answer), with where it
/// came from. A row of <c>datasets/traces.jsonl</c>, which `sft` also reads as a problem file (prompt, answer, reasoning).
/// </summary>
/// <param name="Reference">The problem's reference answer (the trace's answer may differ under a label-free filter).</param>
/// <param name="Teacher">The model that wrote it, or "demonstrations".</param>
/// <param name="Strategy">The teacher's test-time strategy (e.g. selfConsistency).</param>
/// <param name="VoteShare">Share of the teacher's candidates for the prompt that agree with this trace's answer.</param>
/// <param name="Score">The ranker's reward for this trace (bestOfN, or the judge of a judgeScore filter); null otherwise.</param>
/// <param name="Verified">The trace's answer checked against the reference; null when the problem has no reference.</param>
/// <param name="Samples">Completions the teacher generated for the prompt.</param>
public sealed record KeptTrace(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("task")] string Task,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("reasoning")] string Reasoning,
    [property: JsonPropertyName("answer")] string Answer,
    [property: JsonPropertyName("reference")] string Reference,
    [property: JsonPropertyName("teacher")] string Teacher,
    [property: JsonPropertyName("strategy")] string Strategy,
    [property: JsonPropertyName("filter")] string Filter,
    [property: JsonPropertyName("voteShare")] double VoteShare,
    [property: JsonPropertyName("score")] double? Score,
    [property: JsonPropertyName("verified")] bool? Verified,
    [property: JsonPropertyName("samples")] int Samples)
{
    /// <summary>The trace as an SFT problem: its reasoning and answer are the target completion.</summary>
    public Problem AsProblem() => new(Id, Task, Prompt, Answer, Reasoning);
}
