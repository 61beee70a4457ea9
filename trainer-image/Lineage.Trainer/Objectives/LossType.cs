namespace Lineage.Trainer.Objectives;

/// <summary>How per-token losses become one number (TRL GRPOConfig.loss_type). See <see cref="LossAggregation"/>.</summary>
public enum LossType
{
    /// <summary>Token mean per sequence, then mean over sequences (DeepSeekMath GRPO): long answers weigh less per token.</summary>
    Grpo,
    /// <summary>Token mean over the local batch.</summary>
    Bnpo,
    /// <summary>Token mean over every token of the optimiser step (DAPO's token-level loss).</summary>
    Dapo,
    /// <summary>Sum / (B × max completion length): a constant normaliser, no length bias (Dr. GRPO).</summary>
    DrGrpo,
}

public static class LossTypes
{
    /// <summary>Maps the config spelling (<c>lossType: grpo | bnpo | dapo | dr_grpo</c>) to the enum.</summary>
    public static LossType Parse(string value, string field = "lossType") => value switch
    {
        "grpo" => LossType.Grpo,
        "bnpo" => LossType.Bnpo,
        "dapo" => LossType.Dapo,
        "dr_grpo" => LossType.DrGrpo,
        _ => throw new ArgumentException($"{field}: '{value}' is not one of grpo, bnpo, dapo, dr_grpo", field),
    };
}
