using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Grpo;

/// <summary>
/// One sampled completion of a problem. <see cref="CompletionIds"/> are the tokens the loss trains on (the end-of-turn
/// id included when the policy chose to stop); <see cref="Text"/> is what the rewards read.
/// </summary>
public sealed record Rollout(Problem Problem, int[] PromptIds, int[] CompletionIds, string Text, int GeneratedTokens, bool Truncated);
