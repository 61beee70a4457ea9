using TorchSharp;
using Lineage.Trainer.Model;
using Lineage.Trainer.Objectives;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Grpo;

/// <summary>
/// The GRPO loss of one rollout micro-batch through a model: completion log-probs (at the sampling temperature, as
/// TRL), then the pure <see cref="GrpoLoss"/>. Hands the training loop a loss and the metrics it logs.
/// </summary>
public sealed class GrpoObjective(GrpoLossOptions options, double temperature)
{
    readonly double temperature = temperature > 0 ? temperature : 1.0;

    /// <summary>Logits that predict each completion token: [B, longest completion, V].</summary>
    public static Tensor CompletionLogits(CausalLM model, RolloutBatch batch)
    {
        var logits = model.Forward(batch.InputIds);
        var index = batch.CompletionPositions.unsqueeze(-1).expand(-1, -1, logits.shape[^1]);
        return logits.gather(1, index);
    }

    /// <summary>log π(completion token) per position, [B, T]; under no_grad for old and reference log-probs.</summary>
    public Tensor LogProbs(CausalLM model, RolloutBatch batch) =>
        TokenLogProbs.Compute(CompletionLogits(model, batch), batch.CompletionTargets, temperature);

    /// <param name="dapoTokenCount">dapo: loss tokens of the whole optimizer step divided by the micro-batch count
    /// (the loop divides each micro-batch loss by that count again, giving one token mean over the step).</param>
    public ObjectiveResult Evaluate(CausalLM model, RolloutBatch batch, double? dapoTokenCount)
    {
        var logits = CompletionLogits(model, batch);
        var logp = TokenLogProbs.Compute(logits, batch.CompletionTargets, temperature);
        var result = GrpoLoss.Compute(logp, batch.OldLogp, batch.RefLogp, batch.Advantages, batch.Mask, options, dapoTokenCount);
        double entropy;
        using (no_grad())
            entropy = ((TokenEntropy.Compute(logits.detach(), temperature) * batch.Mask).sum() / batch.Mask.sum().clamp_min(1.0)).ToDouble();
        var metrics = new Dictionary<string, double>
        {
            ["clipLow"] = result.Stats.Clip.Low,
            ["clipHigh"] = result.Stats.Clip.High,
            ["clipRegion"] = result.Stats.Clip.Region,
            ["ratio"] = result.Stats.RatioMean,
            ["entropy"] = entropy,
        };
        if (result.Stats.KlMean is { } kl) metrics["kl"] = kl;
        return new ObjectiveResult(result.Loss, batch.Tokens, batch.LossTokens, metrics);
    }
}
