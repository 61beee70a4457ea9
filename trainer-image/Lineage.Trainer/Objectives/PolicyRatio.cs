using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>Importance ratio ρ = π_θ / π_old per token, from log-probs: exp(logp − oldLogp).</summary>
public static class PolicyRatio
{
    public static Tensor Compute(Tensor logp, Tensor oldLogp)
    {
        Shapes.RequireSame(logp, oldLogp, nameof(logp), nameof(oldLogp));
        using var scope = NewDisposeScope();
        return (logp - oldLogp).exp().MoveToOuterDisposeScope();
    }
}
