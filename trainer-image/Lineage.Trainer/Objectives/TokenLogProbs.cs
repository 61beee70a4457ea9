using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// Log-probability of each sampled token under a policy: the quantity every RL and preference
/// objective here is written in. Matches TRL's <c>selective_log_softmax</c> on logits divided by
/// the sampling temperature (<c>_get_per_token_logps</c> in grpo_trainer.py).
/// </summary>
public static class TokenLogProbs
{
    /// <summary>
    /// log softmax(logits / temperature)[target] for every position.
    /// logits [B,T,V] (the logits that predict each completion token, already shifted), targets [B,T] int64 → [B,T].
    /// </summary>
    public static Tensor Compute(Tensor logits, Tensor targets, double temperature = 1.0)
    {
        if (logits.dim() != 3) throw new ArgumentException($"logits must be [B,T,V], got [{string.Join(",", logits.shape)}]", nameof(logits));
        if (targets.dim() != 2 || targets.shape[0] != logits.shape[0] || targets.shape[1] != logits.shape[1])
            throw new ArgumentException($"targets must be [B,T] = [{logits.shape[0]},{logits.shape[1]}], got [{string.Join(",", targets.shape)}]", nameof(targets));
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "temperature must be > 0");

        using var scope = NewDisposeScope();
        var scaled = temperature == 1.0 ? logits : logits / temperature;
        // gather − logsumexp instead of a full log_softmax: same stable value, but no [B,T,V] result tensor.
        var picked = scaled.gather(-1, targets.unsqueeze(-1)).squeeze(-1);
        var logNormaliser = scaled.logsumexp(-1, keepdim: false);
        return (picked - logNormaliser).MoveToOuterDisposeScope();
    }

    /// <summary>log π(completion) = Σ_t tokenLogp·mask: [B,T] → [B]. Padding contributes nothing.</summary>
    public static Tensor SequenceSum(Tensor tokenLogp, Tensor mask)
    {
        Shapes.RequireSame(tokenLogp, mask, nameof(tokenLogp), nameof(mask));
        using var scope = NewDisposeScope();
        return (tokenLogp * mask).sum(-1).MoveToOuterDisposeScope();
    }
}
