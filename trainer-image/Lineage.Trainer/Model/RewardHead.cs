using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>
/// Where a sequence-classification head reads: the last real token of each row. Pure, so the
/// index arithmetic is tested on its own (HF's LlamaForSequenceClassification pools the same way).
/// </summary>
public static class RewardHead
{
    /// <summary>perToken [B,T] scores, lengths [B] real tokens per right-padded row → [B], the score at index length − 1.</summary>
    public static Tensor AtLastToken(Tensor perToken, Tensor lengths)
    {
        if (perToken.dim() != 2) throw new ArgumentException($"perToken must be [B,T], got [{string.Join(",", perToken.shape)}]", nameof(perToken));
        if (lengths.dim() != 1 || lengths.shape[0] != perToken.shape[0])
            throw new ArgumentException($"lengths must be [B] = [{perToken.shape[0]}], got [{string.Join(",", lengths.shape)}]", nameof(lengths));
        using var scope = NewDisposeScope();
        var last = (lengths.to_type(ScalarType.Int64) - 1).clamp(0, perToken.shape[1] - 1).unsqueeze(1);
        return perToken.gather(1, last).squeeze(1).MoveToOuterDisposeScope();
    }
}
