using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <summary>
/// Implicit-reward statistics TRL's DPOTrainer logs, each a batch mean: reward = β·(log π − log π_ref).
/// Accuracy is the share of pairs whose chosen reward is strictly above the rejected one.
/// </summary>
public sealed record DpoStats(double ChosenReward, double RejectedReward, double Accuracy, double Margin);

/// <param name="Loss">scalar to back-propagate.</param>
public sealed record DpoResult(Tensor Loss, DpoStats Stats);

/// <summary>
/// DPO's sigmoid loss (Rafailov et al. 2023; TRL dpo_trainer.py <c>dpo_loss</c>, loss_type "sigmoid"):
/// z = (π_c − π_r) − (ref_c − ref_r) on sequence log-probs,
/// loss = mean( −(1−s)·log σ(β z) − s·log σ(−β z) ), s = label smoothing (cDPO; 0 = plain DPO).
/// </summary>
public static class DpoLoss
{
    /// <summary>All inputs [B]: summed log-probs of each chosen/rejected completion (see <see cref="TokenLogProbs.SequenceSum"/>).</summary>
    public static DpoResult Compute(Tensor policyChosenLogp, Tensor policyRejectedLogp, Tensor refChosenLogp, Tensor refRejectedLogp,
        double beta, double labelSmoothing = 0.0)
    {
        if (policyChosenLogp.dim() != 1) throw new ArgumentException($"policyChosenLogp must be [B], got [{string.Join(",", policyChosenLogp.shape)}]", nameof(policyChosenLogp));
        Shapes.RequireSame(policyChosenLogp, policyRejectedLogp, nameof(policyChosenLogp), nameof(policyRejectedLogp));
        Shapes.RequireSame(policyChosenLogp, refChosenLogp, nameof(policyChosenLogp), nameof(refChosenLogp));
        Shapes.RequireSame(policyChosenLogp, refRejectedLogp, nameof(policyChosenLogp), nameof(refRejectedLogp));
        if (!(beta > 0)) throw new ArgumentOutOfRangeException(nameof(beta), beta, "beta must be > 0");
        if (!(labelSmoothing >= 0 && labelSmoothing < 0.5)) throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "labelSmoothing must be in [0, 0.5)");

        using var scope = NewDisposeScope();
        var z = (policyChosenLogp - policyRejectedLogp) - (refChosenLogp - refRejectedLogp);
        var losses = -nn.functional.logsigmoid(beta * z) * (1 - labelSmoothing);
        if (labelSmoothing > 0) losses = losses - nn.functional.logsigmoid(-beta * z) * labelSmoothing;
        var loss = losses.mean();

        DpoStats stats;
        using (no_grad())
        {
            var chosen = beta * (policyChosenLogp.detach() - refChosenLogp);
            var rejected = beta * (policyRejectedLogp.detach() - refRejectedLogp);
            stats = new DpoStats(
                chosen.mean().ToDouble(),
                rejected.mean().ToDouble(),
                (chosen > rejected).to_type(ScalarType.Float64).mean().ToDouble(),
                (chosen - rejected).mean().ToDouble());
        }
        return new DpoResult(loss.MoveToOuterDisposeScope(), stats);
    }
}
