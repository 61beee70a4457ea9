using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Devices;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;
using Lineage.Trainer.Tokenization;
using Lineage.Trainer.Tests.Grpo;
using Lineage.Trainer.Tests.Preferences;
using Lineage.Trainer.Tests.Runs;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Devices;

/// <summary>
/// The device a run is given reaches every tensor it makes. Each test runs with TorchSharp's default device set to
/// <c>meta</c> and the run's device set explicitly to cpu: a tensor made anywhere without the run's device lands on meta,
/// and then either the run throws (meta holds no data; meta and cpu do not mix) or the placement checks below see it.
/// </summary>
[Collection(nameof(DefaultDeviceCollection))]
public sealed class DevicePlacementTests
{
    static readonly Device Explicit = CPU;

    [Fact]
    public void A_grpo_step_keeps_every_parameter_buffer_gradient_moment_and_sampled_tensor_on_the_runs_device()
    {
        using var dir = new TemporaryDirectory();
        string policyDirectory = TinyGrpo.Policy(dir);
        // β > 0 loads a reference and μ = 2 keeps old log-probs: both pass through the step.
        var config = TinyGrpo.Config(policyDirectory, dir.File("out/model"), steps: 1) with { Beta = 0.05, NumIterations = 2, LossType = "grpo", Device = "cpu" };

        using var meta = DefaultDevice.Set(META);
        var device = ComputeDevice.Resolve(config.Device);
        Assert.True(ComputeDevice.Same(Explicit, device));
        using var policy = PretrainedModel.Load(policyDirectory, device);
        using var reference = PretrainedModel.Load(policyDirectory, device);
        foreach (var p in reference.Model.parameters()) p.requires_grad = false;
        using var optimizer = new AdamW(policy.Model.named_parameters(), config.Optim.Beta1, config.Optim.Beta2, config.Optim.Epsilon, config.Optim.WeightDecay);
        using var generator = new Generator(0, device).manual_seed(config.Seed);
        var reward = CompositeReward.FromSpecs(config.Rewards, "rewards", device: device);
        var step = new GrpoStep(config, policy, reference.Model, reward, new TrainingLoop(optimizer, config.Optim, 2), generator);
        var prompts = ProblemSet.Load(config.Data).Take(config.PromptsPerStep).ToList();

        var result = step.Run(0, prompts);

        Assert.True(result.Updated, "the step should have updated the policy");
        Assert.Equal(2, step.OptimizerSteps);
        AssertOnDevice(policy.Model, "policy");
        AssertOnDevice(reference.Model, "reference");
        foreach (var (name, p) in policy.Model.named_parameters())
            AssertOn(p.grad ?? throw new Xunit.Sdk.XunitException($"policy.{name} has no gradient after the step"), $"policy.{name}.grad");
        var moments = optimizer.StateTensors();
        Assert.Equal(2 * policy.Model.parameters().Count(), moments.Count);
        foreach (var (name, t) in moments) AssertOn(t, $"optimizer.{name}");
        Assert.True(moments.Values.Any(m => m.abs().sum().item<float>() > 0), "the moments were never updated");

        // What sampling and the loss see: tokens picked from the policy's logits, and the rollouts as a batch.
        var rollouts = RolloutSampler.Sample(policy, prompts, config.NumGenerations, config.Sampling, generator);
        using var batch = RolloutBatch.Build(rollouts, rollouts.Select(_ => 1f).ToList(), config.MaskTruncated, policy.Tokenizer.PadId, policy.Model.Device);
        foreach (var (name, t) in new[] { ("inputIds", batch.InputIds), ("completionPositions", batch.CompletionPositions), ("completionTargets", batch.CompletionTargets), ("mask", batch.Mask), ("advantages", batch.Advantages) })
            AssertOn(t, $"rollout batch {name}");
        using (no_grad())
        {
            using var logits = policy.Model.Forward(batch.InputIds, lastOnly: true).squeeze(1);
            using var picked = TokenPicker.Pick(logits, config.Sampling, generator);
            AssertOn(logits, "logits");
            AssertOn(picked, "sampled tokens");
        }
    }

    [Fact]
    public void A_grpo_run_on_an_explicit_device_killed_and_resumed_matches_the_same_run_under_the_normal_default()
    {
        using var dir = new TemporaryDirectory();
        string policy = TinyGrpo.Policy(dir);
        GrpoConfig Config(string output) => TinyGrpo.Config(policy, output, steps: 4) with
        {
            Beta = 0.05, NumIterations = 2, LossType = "grpo", CheckpointEvery = 2, Device = "cpu",
        };
        new GrpoRun(Config(dir.File("plain/model")), SilentObserver.Instance).Run();

        using (DefaultDevice.Set(META))
        {
            // The resumed half loads the checkpoint's weights, optimizer moments and sampler state onto the run's device.
            using var cts = new CancellationTokenSource();
            var config = Config(dir.File("explicit/model"));
            Assert.ThrowsAny<OperationCanceledException>(() => new GrpoRun(config, new CancelAtStep(cts, 3)).Run(cts.Token));
            Assert.Equal([2L], TrainingCheckpoint.List(dir.File("explicit/checkpoints")).Select(c => c.Step));
            Assert.Equal(2, new GrpoRun(config, SilentObserver.Instance).Run().Steps);
        }

        AssertSameWeights(dir.File("plain/model"), dir.File("explicit/model"));
    }

    [Fact]
    public void An_sft_run_from_a_fresh_model_on_an_explicit_device_killed_and_resumed_matches_the_same_run_under_the_normal_default()
    {
        using var dir = new TemporaryDirectory();
        SftConfig Config(string output) => new()
        {
            Output = output,
            Init = TinyGrpo.Shape,
            Train = new DataConfig { Task = "addition", Digits = 2, Count = 64 },
            Optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 1 },
            Steps = 4, BatchSize = 8, MaxSeqLen = 48, Packing = true, SaveEvery = 2, Seed = 3, Device = "cpu",
        };
        new SftRun(Config(dir.File("plain/model")), SilentObserver.Instance).Run();

        using (DefaultDevice.Set(META))
        {
            using var cts = new CancellationTokenSource();
            var config = Config(dir.File("explicit/model"));
            Assert.ThrowsAny<OperationCanceledException>(() => new SftRun(config, new CancelAtStep(cts, 3)).Run(cts.Token));
            Assert.Equal(2, new SftRun(config, SilentObserver.Instance).Run().Steps);
        }

        AssertSameWeights(dir.File("plain/model"), dir.File("explicit/model"));
    }

    [Fact]
    public void Sampling_and_a_test_time_strategy_on_an_explicit_device_give_what_they_give_under_the_normal_default()
    {
        using var dir = new TemporaryDirectory();
        string modelDirectory = TinyGrpo.Policy(dir);
        var problems = ProblemSet.Load(new DataConfig { Task = "addition", Digits = 2, Count = 3 });
        var sampling = new SamplingConfig { Temperature = 1.0, TopK = 8, TopP = 0.9, MaxNewTokens = 6 };
        var vote = new TestTimeConfig { Strategy = "selfConsistency", Samples = 3, Sampling = sampling };

        (List<string> Samples, List<string> Votes, List<string> Greedy) Generate(Device? device)
        {
            using var model = PretrainedModel.Load(modelDirectory, device);
            using var sampler = new CandidateSampler(batchSize: 4, seed: 9);
            var samples = sampler.Sample(model, problems.Select(model.PromptIds).ToList(), 3, sampling).SelectMany(c => c).Select(c => c.Text).ToList();
            using var strategy = TestTimeStrategies.Create(vote, batchSize: 4, seed: 9, device: device);
            var votes = strategy.Solve(model, problems).Select(s => s.Candidates[s.Chosen].Text).ToList();
            var greedy = Evaluator.Greedy(model, problems, maxNewTokens: 6).Completions.Select(c => c[0]).ToList();
            return (samples, votes, greedy);
        }

        var plain = Generate(null);
        using var meta = DefaultDevice.Set(META);
        var explicitDevice = Generate(ComputeDevice.Resolve("cpu"));
        Assert.Equal(plain.Samples, explicitDevice.Samples);
        Assert.Equal(plain.Votes, explicitDevice.Votes);
        Assert.Equal(plain.Greedy, explicitDevice.Greedy);
    }

    [Fact]
    public void A_grpo_run_rewarded_by_a_reward_model_and_a_judge_loads_both_onto_the_runs_device()
    {
        using var dir = new TemporaryDirectory();
        string policy = TinyGrpo.Policy(dir);
        using (var rewardModel = PretrainedRewardModel.Create(TinyGrpo.Shape, BuiltInTokenizer.Create(), seed: 4)) rewardModel.Save(dir.File("rm"));
        GrpoConfig Config(string output) => TinyGrpo.Config(policy, output, steps: 2) with
        {
            Rewards =
            [
                new RewardSpec { Name = "rewardModel", Model = dir.File("rm") },
                new RewardSpec { Name = "judge", Model = policy, Principles = ["The answer is correct."], Weight = 0.5,
                    Sampling = new SamplingConfig { Temperature = 0, MaxNewTokens = 4 } },
            ],
            Device = "cpu",
        };
        new GrpoRun(Config(dir.File("plain/model")), SilentObserver.Instance).Run();
        using (DefaultDevice.Set(META))
            new GrpoRun(Config(dir.File("explicit/model")), SilentObserver.Instance).Run();
        AssertSameWeights(dir.File("plain/model"), dir.File("explicit/model"));
    }

    [Fact]
    public void Dpo_on_its_own_samples_and_reward_model_training_on_an_explicit_device_match_the_same_runs_under_the_normal_default()
    {
        using var dir = new TemporaryDirectory();
        string policy = TinyGrpo.Policy(dir);
        PreferencePairFile.Write(dir.File("pairs.jsonl"), PreferenceFixtures.EasyPairs(64, seed: 1));
        DpoConfig Dpo(string output) => new()
        {
            Policy = policy, Output = output, Data = new DataConfig { Task = "addition", Digits = 1, Count = 40 },
            Rewards = [new RewardSpec { Name = "regex", Pattern = "[0-9]" }], NumGenerations = 3,
            Sampling = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 6 },
            Optim = new OptimConfig { LearningRate = 1e-3, WarmupSteps = 0, MinLearningRateRatio = 1, WeightDecay = 0 },
            Steps = 2, BatchSize = 6, MaxSeqLen = 48, Seed = 4, Device = "cpu",
        };
        RewardModelConfig Rm(string output) => new()
        {
            Output = output, Init = TinyGrpo.Shape, Pairs = dir.File("pairs.jsonl"), HeldOutFraction = 0.25,
            Optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 1, WeightDecay = 0 },
            Steps = 2, BatchSize = 8, MaxSeqLen = 48, Seed = 5, Device = "cpu",
        };
        new DpoRun(Dpo(dir.File("dpo-plain/model")), SilentObserver.Instance).Run();
        new RewardModelRun(Rm(dir.File("rm-plain/model")), SilentObserver.Instance).Run();
        using (DefaultDevice.Set(META))
        {
            new DpoRun(Dpo(dir.File("dpo-explicit/model")), SilentObserver.Instance).Run();
            new RewardModelRun(Rm(dir.File("rm-explicit/model")), SilentObserver.Instance).Run();
        }
        AssertSameWeights(dir.File("dpo-plain/model"), dir.File("dpo-explicit/model"));
        AssertSameWeights(dir.File("rm-plain/model"), dir.File("rm-explicit/model"));
    }

    static void AssertOnDevice(nn.Module module, string what)
    {
        foreach (var (name, p) in module.named_parameters()) AssertOn(p, $"{what}.{name}");
        foreach (var (name, b) in module.named_buffers()) AssertOn(b, $"{what}.{name} (buffer)");
    }

    static void AssertOn(Tensor t, string what) =>
        Assert.True(ComputeDevice.Same(Explicit, t.device), $"{what} is on {t.device}, not on {Explicit}");

    static void AssertSameWeights(string expectedDirectory, string actualDirectory)
    {
        var a = SafetensorsReader.Load(Path.Combine(expectedDirectory, ShardedCheckpoint.SingleFile));
        var b = SafetensorsReader.Load(Path.Combine(actualDirectory, ShardedCheckpoint.SingleFile));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, t) in a) TensorAssert.Identical(t, b[name], name);
    }
}
