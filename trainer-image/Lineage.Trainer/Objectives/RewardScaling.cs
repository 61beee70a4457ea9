namespace Lineage.Trainer.Objectives;

/// <summary>What the group-centred reward is divided by (TRL's <c>scale_rewards</c>).</summary>
public enum RewardScaling
{
    /// <summary>The group's own standard deviation (GRPO, DeepSeekMath).</summary>
    Group,
    /// <summary>One standard deviation over the whole batch (TRL "batch"; less sensitive to near-constant groups).</summary>
    Batch,
    /// <summary>No division (Dr. GRPO: per-group std scaling biases updates toward too easy and too hard questions).</summary>
    None,
}

public static class RewardScalings
{
    /// <summary>Maps the config spelling (<c>scaleRewards: group | batch | none</c>) to the enum.</summary>
    public static RewardScaling Parse(string value, string field = "scaleRewards") => value switch
    {
        "group" => RewardScaling.Group,
        "batch" => RewardScaling.Batch,
        "none" => RewardScaling.None,
        _ => throw new ArgumentException($"{field}: '{value}' is not one of group, batch, none", field),
    };
}
