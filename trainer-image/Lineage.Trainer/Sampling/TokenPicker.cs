using Lineage.Contracts.Config;
using static TorchSharp.torch;

namespace Lineage.Trainer.Sampling;

/// <summary>Turns last-position logits [B, V] into next tokens [B]: greedy, or temperature + top-k + top-p, seeded.</summary>
public static class TokenPicker
{
    public static Tensor Pick(Tensor logits, SamplingConfig sampling, Generator generator)
    {
        if (sampling.Temperature == 0) return logits.argmax(-1);
        var scaled = logits.to_type(ScalarType.Float32) / sampling.Temperature;
        if (sampling.TopK > 0 && sampling.TopK < scaled.shape[^1])
        {
            var (top, _) = scaled.topk(sampling.TopK, dim: -1);
            scaled = scaled.masked_fill(scaled.lt(top.narrow(-1, sampling.TopK - 1, 1)), double.NegativeInfinity);
        }
        if (sampling.TopP < 1.0)
        {
            var (sorted, order) = scaled.sort(-1, descending: true);
            var cumulative = sorted.softmax(-1).cumsum(-1);
            // Drop a token when the mass before it already reaches top_p; the most likely token always stays.
            var drop = (cumulative - sorted.softmax(-1)).ge(sampling.TopP);
            var dropInVocabOrder = zeros_like(drop).scatter(-1, order, drop);
            scaled = scaled.masked_fill(dropInVocabOrder, double.NegativeInfinity);
        }
        return scaled.softmax(-1).multinomial(1, generator: generator).squeeze(-1);
    }
}
