using static TorchSharp.torch;

namespace Lineage.Trainer.Grpo;

/// <summary>
/// Rollouts as tensors for the loss. Each row is prompt + completion, right-padded (plain causal attention, positions
/// 0..n as the sampler used). <see cref="CompletionPositions"/>[b,t] is the input position whose logits predict
/// completion token t, so per-token tensors are completion-aligned [B, longest completion].
/// </summary>
public sealed class RolloutBatch : IDisposable
{
    public required Tensor InputIds { get; init; }
    public required Tensor CompletionPositions { get; init; }
    public required Tensor CompletionTargets { get; init; }
    /// <summary>1 for completion tokens that count in the loss; padding (and truncated rows when masked) are 0.</summary>
    public required Tensor Mask { get; init; }
    public required Tensor Advantages { get; init; }
    /// <summary>Log-probs at sampling time, kept only when μ &gt; 1.</summary>
    public Tensor? OldLogp { get; set; }
    /// <summary>Frozen reference log-probs, only when β &gt; 0.</summary>
    public Tensor? RefLogp { get; set; }
    public required long LossTokens { get; init; }
    public long Tokens => InputIds.numel();
    public int Rows => (int)InputIds.shape[0];

    /// <param name="advantages">one per rollout, in rollout order.</param>
    /// <param name="device">Where the tensors go: the policy's device.</param>
    public static RolloutBatch Build(IReadOnlyList<Rollout> rollouts, IReadOnlyList<float> advantages, bool maskTruncated, int padId, Device? device = null)
    {
        if (rollouts.Count == 0) throw new ArgumentException("a rollout batch needs at least one rollout", nameof(rollouts));
        if (advantages.Count != rollouts.Count) throw new ArgumentException($"{advantages.Count} advantages for {rollouts.Count} rollouts", nameof(advantages));
        int rows = rollouts.Count;
        int width = Math.Max(1, rollouts.Max(r => r.PromptIds.Length + r.CompletionIds.Length) - 1);
        int completionWidth = Math.Max(1, rollouts.Max(r => r.CompletionIds.Length));
        var input = new long[rows * width];
        var positions = new long[rows * completionWidth];
        var targets = new long[rows * completionWidth];
        var mask = new float[rows * completionWidth];
        Array.Fill(input, padId);
        Array.Fill(targets, padId);
        long lossTokens = 0;
        for (int b = 0; b < rows; b++)
        {
            var r = rollouts[b];
            int[] sequence = [.. r.PromptIds, .. r.CompletionIds];
            for (int i = 0; i < sequence.Length - 1; i++) input[b * width + i] = sequence[i];
            bool counts = !(maskTruncated && r.Truncated);
            for (int t = 0; t < r.CompletionIds.Length; t++)
            {
                positions[b * completionWidth + t] = r.PromptIds.Length - 1 + t;
                targets[b * completionWidth + t] = r.CompletionIds[t];
                if (counts) { mask[b * completionWidth + t] = 1; lossTokens++; }
            }
        }
        return new RolloutBatch
        {
            InputIds = tensor(input, [rows, width], device: device),
            CompletionPositions = tensor(positions, [rows, completionWidth], device: device),
            CompletionTargets = tensor(targets, [rows, completionWidth], device: device),
            Mask = tensor(mask, [rows, completionWidth], device: device),
            Advantages = tensor(advantages.ToArray(), device: device),
            LossTokens = lossTokens,
        };
    }

    public void Dispose()
    {
        InputIds.Dispose(); CompletionPositions.Dispose(); CompletionTargets.Dispose(); Mask.Dispose(); Advantages.Dispose();
        OldLogp?.Dispose(); RefLogp?.Dispose();
    }
}
