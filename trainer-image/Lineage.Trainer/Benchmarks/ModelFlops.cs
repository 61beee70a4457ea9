using Lineage.Trainer.Model;

namespace Lineage.Trainer.Benchmarks;

/// <summary>
/// Training FLOPs per token after PaLM (Chowdhery et al. 2022, appendix B): 6·N for the matmul
/// weights (forward + backward) plus 12·L·H·T for attention scores and values at context T.
/// N counts every projection including the output head, and excludes the embedding lookup.
/// </summary>
public static class ModelFlops
{
    public static double TrainingPerToken(ModelConfig c, int contextLength) =>
        6 * MatmulParameters(c) + 12.0 * c.NumHiddenLayers * c.NumAttentionHeads * c.HeadSize * contextLength;

    /// <summary>Forward-only FLOPs per generated token, 2·N: the matmul bound of decoding (attention over a short context is left out).</summary>
    public static double DecodingPerToken(ModelConfig c) => 2 * MatmulParameters(c);

    static double MatmulParameters(ModelConfig c)
    {
        long attention = (long)c.HiddenSize * c.NumAttentionHeads * c.HeadSize + 2L * c.HiddenSize * c.KeyValueHeads * c.HeadSize
                         + (long)c.NumAttentionHeads * c.HeadSize * c.HiddenSize;
        long mlp = 3L * c.HiddenSize * c.IntermediateSize;
        long head = (long)c.HiddenSize * c.VocabSize;
        return c.NumHiddenLayers * (attention + mlp) + head;
    }
}
