using static TorchSharp.torch;

namespace Lineage.Trainer.Sampling;

/// <summary>Prompts left-padded to one width: ids and key mask [P, Width], and each prompt's real length.</summary>
sealed class PromptBatch(Tensor ids, Tensor keyMask, long[] lengths)
{
    public Tensor Ids { get; } = ids;
    public Tensor KeyMask { get; } = keyMask;
    public long[] Lengths { get; } = lengths;
    public long Width => Ids.shape[1];

    /// <summary>Rotary positions that skip the padding: 0 at each prompt's first real token.</summary>
    public Tensor Positions() => (KeyMask.cumsum(1) - 1).clamp_min(0);

    public static PromptBatch LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, int padId, Device? device = null)
    {
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token", nameof(prompts));
        int width = prompts.Max(p => p.Count);
        var ids = new long[prompts.Count * width];
        var mask = new long[prompts.Count * width];
        for (int b = 0; b < prompts.Count; b++)
        {
            int offset = width - prompts[b].Count;
            for (int i = 0; i < width; i++)
            {
                bool real = i >= offset;
                ids[b * width + i] = real ? prompts[b][i - offset] : padId;
                mask[b * width + i] = real ? 1 : 0;
            }
        }
        return new PromptBatch(tensor(ids, [prompts.Count, width], device: device), tensor(mask, [prompts.Count, width], device: device), prompts.Select(p => (long)p.Count).ToArray());
    }
}
