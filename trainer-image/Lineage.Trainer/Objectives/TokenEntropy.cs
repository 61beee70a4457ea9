using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// Entropy of the next-token distribution at each position, −Σ_v p·log p, as TRL's
/// <c>entropy_from_logits</c> (on temperature-scaled logits). Logged to see policy collapse.
/// </summary>
public static class TokenEntropy
{
    /// <summary>logits [B,T,V] → entropy [B,T] in nats.</summary>
    public static Tensor Compute(Tensor logits, double temperature = 1.0)
    {
        if (logits.dim() != 3) throw new ArgumentException($"logits must be [B,T,V], got [{string.Join(",", logits.shape)}]", nameof(logits));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be > 0");

        using var scope = NewDisposeScope();
        var logp = (temperature == 1.0 ? logits : logits / temperature).log_softmax(-1);
        // p·log p is 0·(−inf) = NaN where a probability underflows to 0; its limit is 0.
        var plogp = logp.exp() * logp;
        plogp = plogp.nan_to_num(0.0, 0.0, 0.0);
        return (-plogp.sum(-1)).MoveToOuterDisposeScope();
    }
}
