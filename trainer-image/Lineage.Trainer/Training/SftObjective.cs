using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>Cross-entropy on completion tokens only, averaged over the batch's completion tokens.</summary>
public static class SftObjective
{
    public static Tensor TokenLosses(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.reshape(-1, logits.shape[^1]), targets.reshape(-1), reduction: nn.Reduction.None).view(targets.shape);

    public static Tensor Loss(Tensor logits, SftBatch batch) =>
        (TokenLosses(logits, batch.Targets) * batch.LossMask).sum() / batch.LossMask.sum().clamp_min(1);

    public static ObjectiveResult Evaluate(CausalLM model, SftBatch batch)
    {
        var logits = model.Forward(batch.InputIds, batch.Positions, batch.AttentionMask);
        var loss = Loss(logits, batch);
        return new ObjectiveResult(loss, batch.Tokens, batch.CompletionTokens);
    }
}
