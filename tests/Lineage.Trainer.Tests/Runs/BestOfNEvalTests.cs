using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tests.Preferences;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Runs;

public sealed class BestOfNEvalTests
{
    [Fact]
    public void Best_of_n_ranked_by_the_verifier_itself_is_pass_at_k()
    {
        using var policy = PretrainedModel.Create(PreferenceFixtures.TinyInit, BuiltInTokenizer.Create(), seed: 2);
        var config = new EvalConfig
        {
            Model = "tiny", Metric = "bestOfN", K = 4, Data = new DataConfig { Task = "addition", Digits = 1, Split = "test", Count = 5 },
            Ranker = new RewardSpec { Name = "accuracy" }, Sampling = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 8 },
        };

        var (result, _) = EvalRunner.Evaluate(config, policy);

        Assert.Equal("bestOfN", result.Metric);
        Assert.Equal(result.Scores["pass@4"], result.Score);
    }

    [Fact]
    public void Best_of_n_without_a_ranker_is_an_error_naming_the_field()
    {
        var error = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<EvalConfig>("model: m\nmetric: bestOfN\n", "eval.yaml"));
        Assert.Contains("ranker: is required when metric is bestOfN", error.Message);
    }
}
