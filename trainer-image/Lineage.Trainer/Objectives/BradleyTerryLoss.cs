using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Objectives;

/// <param name="Loss">scalar to back-propagate.</param>
/// <param name="Accuracy">share of pairs scored strictly chosen &gt; rejected (a tie counts as wrong).</param>
public sealed record BradleyTerryResult(Tensor Loss, double Accuracy);

/// <summary>
/// Reward-model loss on preference pairs: P(chosen ≻ rejected) = σ(s_c − s_r), minimised as
/// mean(−log σ(s_c − s_r)) (InstructGPT; TRL reward_trainer.py <c>compute_loss</c> without margin).
/// </summary>
public static class BradleyTerryLoss
{
    /// <summary>chosenScores, rejectedScores [B]: the scalar head's score of each completion in a pair.</summary>
    public static BradleyTerryResult Compute(Tensor chosenScores, Tensor rejectedScores)
    {
        if (chosenScores.dim() != 1) throw new ArgumentException($"chosenScores must be [B], got [{string.Join(",", chosenScores.shape)}]", nameof(chosenScores));
        Shapes.RequireSame(chosenScores, rejectedScores, nameof(chosenScores), nameof(rejectedScores));

        using var scope = NewDisposeScope();
        var loss = (-nn.functional.logsigmoid(chosenScores - rejectedScores)).mean();
        double accuracy;
        using (no_grad())
            accuracy = (chosenScores > rejectedScores).to_type(ScalarType.Float64).mean().ToDouble();
        return new BradleyTerryResult(loss.MoveToOuterDisposeScope(), accuracy);
    }
}
