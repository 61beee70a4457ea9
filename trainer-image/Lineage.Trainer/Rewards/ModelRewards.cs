using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// Builds the model-based rewards from their spec by loading the named model directory (or store URI, fetched to the cache):
/// rewardModel needs a reward model (saved by `lineage-trainer rm`), judge any causal LM.
/// Errors name the spec's field.
/// </summary>
public static class ModelRewards
{
    public static IRewardFunction Create(RewardSpec spec, string field, TorchSharp.torch.Device? device = null)
    {
        string directory = LocalDirectory(spec.Model, $"{field}.model");
        var config = ModelConfig.Load(Path.Combine(directory, ModelDirectory.ConfigFile));
        bool isRewardModel = RewardModel.IsRewardModelConfig(config);
        switch (spec.Name)
        {
            case "rewardModel":
                if (!isRewardModel)
                    throw new ConfigError($"{field}.model: {directory} is a causal LM ({string.Join(", ", config.Architectures)}), not a reward model; train one with `lineage-trainer rm`");
                return new RewardModelReward(PretrainedRewardModel.Load(directory, device: device), ownsModel: true);
            case "judge":
                if (isRewardModel)
                    throw new ConfigError($"{field}.model: {directory} is a reward model; a judge must be a causal LM that writes a critique and a score");
                return new JudgeReward(PretrainedModel.Load(directory, device), spec.Principles, spec.Samples, spec.MaxScore,
                    spec.Sampling, ownsJudge: true);
            default:
                throw new ConfigError($"{field}.name: '{spec.Name}' is not a model-based reward (rewardModel, judge)");
        }
    }

    static string LocalDirectory(string? model, string field)
    {
        if (string.IsNullOrEmpty(model)) throw new ConfigError($"{field}: is required");
        if (model.Contains("://", StringComparison.Ordinal)) return Runs.ModelLocation.Materialize(model);
        if (!Directory.Exists(model) || !File.Exists(Path.Combine(model, ModelDirectory.ConfigFile)))
            throw new ConfigError($"{field}: model directory not found (or has no config.json): {model}");
        return model;
    }
}
