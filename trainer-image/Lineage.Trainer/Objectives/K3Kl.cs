using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// Schulman's k3 estimator of KL(π_θ ‖ π_ref) per token: exp(ref − logp) − (ref − logp) − 1.
/// Unbiased on samples from π_θ, always ≥ 0, and 0 where the two policies agree (TRL per_token_kl).
/// </summary>
public static class K3Kl
{
    public static Tensor Compute(Tensor logp, Tensor refLogp)
    {
        Shapes.RequireSame(logp, refLogp, nameof(logp), nameof(refLogp));
        using var scope = NewDisposeScope();
        var d = refLogp - logp;
        return (d.exp() - d - 1).MoveToOuterDisposeScope();
    }
}
