using System.Text.RegularExpressions;
using Lineage.Contracts.Config;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// Builds a reward from its config. Rule rewards are built here; model-based ones (rewardModel,
/// judge) load their model directory through <see cref="ModelRewards"/>, unless the caller passes
/// <paramref name="modelRewards"/> (e.g. to share an already loaded model).
/// </summary>
public static class RewardFactory
{
    public static readonly IReadOnlyList<string> RuleNames = ["accuracy", "format", "overlong", "regex"];

    /// <param name="field">Config path of the spec for error messages, e.g. "grpo.rewards[1]".</param>
    /// <param name="modelRewards">Builds rewardModel/judge rewards; null = load spec.model.</param>
    /// <param name="device">Where a loaded reward model or judge goes (null: TorchSharp's default device).</param>
    public static IRewardFunction Create(RewardSpec spec, string field = "reward", Func<RewardSpec, IRewardFunction>? modelRewards = null,
        TorchSharp.torch.Device? device = null)
    {
        var validation = new Validation();
        spec.Validate(validation, $"{field}.");
        validation.ThrowIfAny(field);
        return spec.Name switch
        {
            "accuracy" => new AccuracyReward(spec.Tolerance),
            "format" => new FormatReward(),
            "overlong" => CreateOverlong(spec, field),
            "regex" => CreateRegex(spec, field),
            "rewardModel" or "judge" when modelRewards is not null => modelRewards(spec),
            "rewardModel" or "judge" => ModelRewards.Create(spec, field, device),
            _ => throw new ConfigError($"{field}.name: unknown reward '{spec.Name}'; expected one of {string.Join(", ", RewardSpec.Names)}"),
        };
    }

    static OverlongReward CreateOverlong(RewardSpec spec, string field)
    {
        if (spec.Buffer > spec.MaxLength)
            throw new ConfigError($"{field}.buffer: must be <= maxLength ({spec.MaxLength}) (got {spec.Buffer})");
        return new OverlongReward(spec.MaxLength, spec.Buffer);
    }

    static RegexReward CreateRegex(RewardSpec spec, string field)
    {
        try { return new RegexReward(spec.Pattern!); }
        catch (ArgumentException e) { throw new ConfigError($"{field}.pattern: not a valid regular expression ({e.Message})"); }
    }
}
