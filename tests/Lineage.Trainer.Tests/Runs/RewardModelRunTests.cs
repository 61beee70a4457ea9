using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Preferences;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Runs;

public sealed class RewardModelRunTests
{
    static RewardModelConfig Tiny(string output, string pairs, int steps) => new()
    {
        Output = output,
        Init = PreferenceFixtures.TinyInit,
        Pairs = pairs,
        HeldOutFraction = 0.25,
        Optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 2, WeightDecay = 0 },
        Steps = steps,
        BatchSize = 16,
        MaxSeqLen = 64,
        EvalEvery = 0,
        LogEvery = 5,
        Seed = 5,
    };

    [Fact]
    public void Bradley_Terry_training_raises_held_out_pairwise_accuracy_on_an_easy_preference()
    {
        using var dir = new TemporaryDirectory();
        PreferencePairFile.Write(dir.File("pairs.jsonl"), PreferenceFixtures.EasyPairs(400, seed: 1));

        var outcome = new RewardModelRun(Tiny(dir.File("rm/model"), dir.File("pairs.jsonl"), steps: 40), SilentObserver.Instance).Run();

        Assert.NotNull(outcome.InitialHeldOut);
        Assert.True(outcome.HeldOut.Pairs >= 50, $"{outcome.HeldOut.Pairs} held-out pairs");
        Assert.True(outcome.HeldOut.Accuracy >= 0.9, $"held-out accuracy {outcome.HeldOut.Accuracy:P1} (initial {outcome.InitialHeldOut!.Accuracy:P1})");
        Assert.True(outcome.HeldOut.Accuracy > outcome.InitialHeldOut.Accuracy + 0.2);
        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("rm/progress.json")), "progress.json");
        Assert.Equal("rm", progress.Kind);
        Assert.True(progress.Done);
        Assert.Equal(outcome.HeldOut.Accuracy, progress.Metrics["heldOutAccuracy"], 6);
    }

    [Fact]
    public void A_saved_reward_model_loads_back_with_identical_scores_in_the_hugging_face_layout()
    {
        using var dir = new TemporaryDirectory();
        var items = PreferenceFixtures.EasyPairs(12, seed: 2).Select(p => (p.Prompt, p.Chosen)).ToList();
        using var model = PretrainedRewardModel.Create(PreferenceFixtures.TinyInit, BuiltInTokenizer.Create(), seed: 9);
        model.Save(dir.File("rm"));

        using var loaded = PretrainedRewardModel.Load(dir.File("rm"));

        Assert.Equal(model.Score(items), loaded.Score(items));
        var config = JsonDocument.Parse(File.ReadAllText(dir.File("rm/config.json"))).RootElement;
        Assert.Equal("LlamaForSequenceClassification", config.GetProperty("architectures")[0].GetString());
        Assert.Equal(1, config.GetProperty("num_labels").GetInt32());
        Assert.Equal([1L, 32L], SafetensorsReader.Load(dir.File("rm/model.safetensors"))["score.weight"].shape);
    }

    [Fact]
    public void A_reward_model_started_from_a_causal_lm_keeps_its_decoder_weights()
    {
        using var dir = new TemporaryDirectory();
        PreferenceFixtures.SavePolicy(dir.File("lm"));

        using var rm = PretrainedRewardModel.Load(dir.File("lm"));

        var lm = SafetensorsReader.Load(dir.File("lm/model.safetensors"));
        TensorAssert.Identical(lm["model.layers.1.mlp.up_proj.weight"], rm.Model.state_dict()["model.layers.1.mlp.up_proj.weight"], "up_proj");
    }

    [Fact]
    public void A_trained_reward_model_is_a_reward_the_factory_builds_and_it_prefers_the_chosen()
    {
        using var dir = new TemporaryDirectory();
        PreferencePairFile.Write(dir.File("pairs.jsonl"), PreferenceFixtures.EasyPairs(400, seed: 1));
        new RewardModelRun(Tiny(dir.File("rm/model"), dir.File("pairs.jsonl"), steps: 30), SilentObserver.Instance).Run();
        var pairs = PreferenceFixtures.EasyPairs(40, seed: 11);
        var problems = pairs.Select(p => new Problem(p.Id!, "addition", p.Prompt, "")).ToList();

        var reward = RewardFactory.Create(new RewardSpec { Name = "rewardModel", Model = dir.File("rm/model") });
        var chosen = reward.ScoreAsync(problems, pairs.Select(p => p.Chosen).ToList(), pairs.Select(_ => 1).ToList(), default).AsTask().Result;
        var rejected = reward.ScoreAsync(problems, pairs.Select(p => p.Rejected).ToList(), pairs.Select(_ => 1).ToList(), default).AsTask().Result;

        Assert.IsType<RewardModelReward>(reward);
        Assert.True(chosen.Zip(rejected).Count(c => c.First > c.Second) >= 32);
    }

    [Fact]
    public void Pointing_the_reward_model_reward_at_a_causal_lm_is_an_error_naming_the_field()
    {
        using var dir = new TemporaryDirectory();
        PreferenceFixtures.SavePolicy(dir.File("lm"));

        var error = Assert.Throws<ConfigError>(() => RewardFactory.Create(new RewardSpec { Name = "rewardModel", Model = dir.File("lm") }, "grpo.rewards[0]"));

        Assert.StartsWith("grpo.rewards[0].model:", error.Message);
        Assert.Contains("not a reward model", error.Message);
    }

    [Fact]
    public void Config_errors_name_the_field()
    {
        var both = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<RewardModelConfig>("output: rm\npairs: p.jsonl\ntask: {task: addition}\n", "rm.yaml"));
        var fraction = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<RewardModelConfig>("output: rm\npairs: p.jsonl\nheldOutFraction: 1.5\n", "rm.yaml"));

        Assert.Contains("pairs: set exactly one of pairs or task", both.Message);
        Assert.Contains("heldOutFraction: must be in [0, 1)", fraction.Message);
    }
}
