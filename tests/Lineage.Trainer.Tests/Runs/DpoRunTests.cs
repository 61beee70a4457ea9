using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tests.Preferences;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Runs;

public sealed class DpoRunTests
{
    static DpoConfig FromFile(string policy, string output, string pairs, int steps) => new()
    {
        Policy = policy,
        Output = output,
        Pairs = pairs,
        Beta = 0.1,
        Optim = new OptimConfig { LearningRate = 2e-3, WarmupSteps = 0, MinLearningRateRatio = 1, WeightDecay = 0 },
        Steps = steps,
        BatchSize = 16,
        MaxSeqLen = 64,
        SaveEvery = 0,
        Seed = 2,
    };

    static DpoConfig OnTheFly(string policy, string output, int steps, int saveEvery = 0) => new()
    {
        Policy = policy,
        Output = output,
        Data = new DataConfig { Task = "addition", Digits = 1, Count = 100 },
        Rewards = [new RewardSpec { Name = "regex", Pattern = "[0-9]" }],
        NumGenerations = 3,
        Sampling = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 10 },
        Optim = new OptimConfig { LearningRate = 1e-3, WarmupSteps = 0, MinLearningRateRatio = 1, WeightDecay = 0 },
        Steps = steps,
        BatchSize = 6,
        MaxSeqLen = 64,
        SaveEvery = saveEvery,
        Seed = 4,
    };

    /// <summary>Mean over pairs of (log π_c − log π_ref,c) − (log π_r − log π_ref,r): DPO's implicit reward margin / β.</summary>
    static double Margin(string policyDir, string referenceDir, IReadOnlyList<PreferencePair> pairs)
    {
        using var policy = PretrainedModel.Load(policyDir);
        using var reference = PretrainedModel.Load(referenceDir);
        int eot = policy.Format.EndOfTurn(policy.Tokenizer);
        var tokens = pairs.Select(p => new PairTokens(policy.PromptIds(new Lineage.Trainer.Tasks.Problem("", "", p.Prompt, "")).ToArray(),
            [.. policy.Tokenizer.Encode(p.Chosen), eot], [.. policy.Tokenizer.Encode(p.Rejected), eot])).ToList();
        using var noGrad = no_grad();
        using var batch = DpoObjective.Batch(tokens, 64, policy.Tokenizer.PadId);
        var diff = DpoObjective.SequenceLogProbs(policy.Model, batch) - DpoObjective.SequenceLogProbs(reference.Model, batch);
        return (diff.narrow(0, 0, pairs.Count) - diff.narrow(0, pairs.Count, pairs.Count)).mean().item<float>();
    }

    [Fact]
    public void DPO_on_an_easy_preference_increases_the_chosen_over_rejected_margin_on_held_out_pairs()
    {
        using var dir = new TemporaryDirectory();
        string policy = PreferenceFixtures.SavePolicy(dir.File("policy"));
        PreferencePairFile.Write(dir.File("pairs.jsonl"), PreferenceFixtures.EasyPairs(300, seed: 1));
        var heldOut = PreferenceFixtures.EasyPairs(40, seed: 21);
        Assert.Equal(0, Margin(policy, policy, heldOut), 5);

        var outcome = new DpoRun(FromFile(policy, dir.File("dpo/model"), dir.File("pairs.jsonl"), steps: 15), SilentObserver.Instance).Run();

        Assert.Equal(15, outcome.Steps);
        Assert.True(Margin(dir.File("dpo/model"), policy, heldOut) > 1.0);
        var lastLine = File.ReadAllLines(dir.File("dpo/metrics.jsonl"))[^1];
        Assert.Contains("\"rewardAccuracy\"", lastLine);
        Assert.Contains("\"logratio\"", lastLine);
        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("dpo/progress.json")), "progress.json");
        Assert.Equal("dpo", progress.Kind);
        Assert.True(progress.Done);
        Assert.True(progress.Metrics["margin"] > 0);
    }

    [Fact]
    public void On_the_fly_pairs_rank_the_policy_s_own_samples_with_a_rule_reward()
    {
        using var dir = new TemporaryDirectory();
        using var policy = PretrainedModel.Load(PreferenceFixtures.SavePolicy(dir.File("policy")));
        var problems = Lineage.Trainer.Tasks.ProblemSet.Load(new DataConfig { Task = "addition", Digits = 1, Count = 12 });
        var reward = new RegexReward("[0-9]");
        using var generator = new Generator().manual_seed(1);

        var ranked = OnPolicyPairs.Build(policy, problems, numGenerations: 4, new SamplingConfig { Temperature = 1.0, MaxNewTokens = 10 }, reward, generator);

        Assert.Equal(12, ranked.Pairs.Count + ranked.TiedPrompts);
        Assert.NotEmpty(ranked.Pairs);
        foreach (var pair in ranked.Texts)
        {
            Assert.Matches("[0-9]", pair.Chosen);
            Assert.DoesNotMatch("[0-9]", pair.Rejected);
        }
        Assert.Equal(1.0, ranked.ChosenRewardMean);
        Assert.Equal(0.0, ranked.RejectedRewardMean);
    }

    [Fact]
    public void An_on_the_fly_run_killed_and_resumed_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        using var dir = new TemporaryDirectory();
        string policy = PreferenceFixtures.SavePolicy(dir.File("policy"));
        new DpoRun(OnTheFly(policy, dir.File("straight/model"), steps: 4), SilentObserver.Instance).Run();

        using var cts = new CancellationTokenSource();
        var interrupted = OnTheFly(policy, dir.File("resumed/model"), steps: 4, saveEvery: 2);
        Assert.ThrowsAny<OperationCanceledException>(() => new DpoRun(interrupted, new CancelAtStep(cts, 3)).Run(cts.Token));
        Assert.Equal([2L], TrainingCheckpoint.List(dir.File("resumed/checkpoints")).Select(c => c.Step));
        var outcome = new DpoRun(interrupted, SilentObserver.Instance).Run();

        Assert.Equal(2, outcome.Steps);
        var a = SafetensorsReader.Load(dir.File("straight/model/model.safetensors"));
        var b = SafetensorsReader.Load(dir.File("resumed/model/model.safetensors"));
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);
        var changed = SafetensorsReader.Load(Path.Combine(policy, "model.safetensors"));
        Assert.Contains(a, kv => !kv.Value.equal(changed[kv.Key]).all().item<bool>());
    }

    [Fact]
    public void Config_errors_name_the_field()
    {
        var neither = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<DpoConfig>("policy: p\noutput: o\n", "dpo.yaml"));
        var beta = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<DpoConfig>("policy: p\noutput: o\npairs: x.jsonl\nbeta: 0\n", "dpo.yaml"));
        var reward = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<DpoConfig>("policy: p\noutput: o\ndata: {task: addition}\nrewards: [{name: judge, model: j}]\n", "dpo.yaml"));

        Assert.Contains("pairs: set exactly one of pairs or data", neither.Message);
        Assert.Contains("beta: must be > 0", beta.Message);
        Assert.Contains("rewards[0].principles: the judge needs at least one principle", reward.Message);
    }

    [Fact]
    public void A_bad_pairs_line_stops_the_run_before_training_with_file_and_line()
    {
        using var dir = new TemporaryDirectory();
        string policy = PreferenceFixtures.SavePolicy(dir.File("policy"));
        File.WriteAllText(dir.File("pairs.jsonl"), "{\"prompt\":\"1+1=\",\"chosen\":\"2\",\"rejected\":\"3\"}\n{\"prompt\":\"1+2=\",\"chosen\":\"3\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => new DpoRun(FromFile(policy, dir.File("dpo/model"), dir.File("pairs.jsonl"), 2), SilentObserver.Instance).Run());

        Assert.Contains("pairs.jsonl:2: missing field 'rejected'", error.Message);
        Assert.False(Directory.Exists(dir.File("dpo")));
    }
}
