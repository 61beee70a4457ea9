using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>What an objective hands the training loop for one micro-batch: a scalar loss to minimise and token counts.</summary>
public sealed record ObjectiveResult(Tensor Loss, long Tokens, long LossTokens, IReadOnlyDictionary<string, double>? Metrics = null);
