namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>The latest training metrics mirrored from progress.json.</summary>
public sealed record RunMetrics
{
    /// <summary>Mean reward over the step's completions.</summary>
    public double? RewardMean { get; init; }
    /// <summary>GRPO: mean reward of the run's first 10 steps (what the gate compares rewardLast with).</summary>
    public double? RewardFirst { get; init; }
    /// <summary>GRPO: mean reward of the latest 10 steps.</summary>
    public double? RewardLast { get; init; }
    /// <summary>Share of completions with the correct answer.</summary>
    public double? Accuracy { get; init; }
    /// <summary>KL divergence to the reference policy (k3 estimator).</summary>
    public double? Kl { get; init; }
    /// <summary>Training loss.</summary>
    public double? Loss { get; init; }
}
