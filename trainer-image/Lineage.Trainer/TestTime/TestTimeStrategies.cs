using Lineage.Contracts.Config;
using Lineage.Trainer.Rewards;

namespace Lineage.Trainer.TestTime;

/// <summary>Builds the strategy a <see cref="TestTimeConfig"/> names; `eval`, `sample` and `distill` all come through here.</summary>
public static class TestTimeStrategies
{
    /// <param name="batchSize">Sequences decoded together.</param>
    /// <param name="seed">Seeds the sampling stream.</param>
    /// <param name="field">Config path for errors, e.g. "testTime".</param>
    /// <param name="modelRewards">Builds a rewardModel/judge ranker from its spec; null = load spec.model.</param>
    /// <param name="device">Where a loaded ranker model goes (the strategy samples on the device of the model it is given).</param>
    public static ITestTimeStrategy Create(TestTimeConfig config, int batchSize, long seed, string field = "testTime",
        Func<RewardSpec, IRewardFunction>? modelRewards = null, TorchSharp.torch.Device? device = null)
    {
        ConfigLoader.Check(config, field);
        return config.Strategy switch
        {
            "greedy" => new GreedyStrategy(config.Sampling, batchSize),
            "selfConsistency" => new SelfConsistencyStrategy(config.Samples, config.Sampling, batchSize, seed),
            "bestOfN" => new BestOfNStrategy(config.Samples, config.Sampling, RewardFactory.Create(config.Ranker!, $"{field}.ranker", modelRewards, device), batchSize, seed),
            "selfRefine" => new SelfRefineStrategy(config.Rounds, config.Sampling, batchSize, seed),
            _ => throw new ConfigError($"{field}.strategy: must be one of {string.Join(", ", TestTimeConfig.Strategies)} (got '{config.Strategy}')"),
        };
    }
}
