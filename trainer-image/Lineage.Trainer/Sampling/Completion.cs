namespace Lineage.Trainer.Sampling;

/// <summary>One sampled continuation. <see cref="Truncated"/>: stopped by the token budget, not by EOS or a stop string.</summary>
public sealed record Completion(int[] Tokens, bool Truncated, bool EndedWithEos);
