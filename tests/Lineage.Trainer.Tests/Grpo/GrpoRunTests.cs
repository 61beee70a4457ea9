using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tests.Runs;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Tests.Grpo;

public sealed class GrpoRunTests
{
    [Fact]
    public void Real_training_on_an_easy_reward_raises_that_reward()
    {
        using var dir = new TemporaryDirectory();
        var outcome = new GrpoRun(TinyGrpo.Config(TinyGrpo.Policy(dir), dir.File("out/model"), steps: 20), SilentObserver.Instance).Run();
        Assert.Equal(20, outcome.RewardCurve.Count);
        double before = outcome.RewardCurve.Take(3).Average(), after = outcome.RewardCurve.TakeLast(3).Average();
        Assert.True(before < 0.4, $"the untrained policy should rarely earn the reward, got {before:F3}");
        Assert.True(after >= before + 0.3, $"reward should rise by 0.3: first steps {before:F3}, last steps {after:F3}");
        Assert.True(File.Exists(dir.File("out/model/model.safetensors")));

        // progress.json carries the rise for the operator's gate: the means of the first and of the last 10 steps.
        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("out/progress.json")), "progress.json");
        Assert.Equal(outcome.RewardCurve.Take(Progress.RewardWindow).Average(), progress.Metrics[Progress.RewardFirst], 9);
        Assert.Equal(outcome.RewardCurve.TakeLast(Progress.RewardWindow).Average(), progress.Metrics[Progress.RewardLast], 9);
    }

    [Fact]
    public void A_run_killed_and_resumed_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        using var dir = new TemporaryDirectory();
        string policy = TinyGrpo.Policy(dir);
        // β > 0 and μ = 2 exercise the reference and the kept old log-probs; both must come back exactly.
        GrpoConfig Config(string output) => TinyGrpo.Config(policy, output, steps: 6) with
        {
            Beta = 0.05, NumIterations = 2, LossType = "grpo", CheckpointEvery = 3,
            Optim = TinyGrpo.Config(policy, output, 6).Optim with { WarmupSteps = 2, MinLearningRateRatio = 0.1 },
        };
        new GrpoRun(Config(dir.File("straight/model")), SilentObserver.Instance).Run();

        using var cts = new CancellationTokenSource();
        var interrupted = Config(dir.File("resumed/model"));
        Assert.ThrowsAny<OperationCanceledException>(() => new GrpoRun(interrupted, new CancelAtStep(cts, 5)).Run(cts.Token));
        Assert.False(Directory.Exists(dir.File("resumed/model")));
        Assert.Equal([3L], TrainingCheckpoint.List(dir.File("resumed/checkpoints")).Select(c => c.Step));

        var outcome = new GrpoRun(interrupted, SilentObserver.Instance).Run();
        Assert.Equal(3, outcome.Steps);
        // The reward of the steps before the kill comes back from the checkpoint: progress.json reports the whole run's.
        var straightProgress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("straight/progress.json")), "progress.json");
        var resumedProgress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("resumed/progress.json")), "progress.json");
        Assert.Equal(straightProgress.Metrics[Progress.RewardFirst], resumedProgress.Metrics[Progress.RewardFirst]);
        Assert.Equal(straightProgress.Metrics[Progress.RewardLast], resumedProgress.Metrics[Progress.RewardLast]);

        var a = SafetensorsReader.Load(dir.File("straight/model/model.safetensors"));
        var b = SafetensorsReader.Load(dir.File("resumed/model/model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);
        var policyWeights = SafetensorsReader.Load(Path.Combine(policy, "model.safetensors"));
        Assert.Contains(a, kv => !kv.Value.eq(policyWeights[kv.Key]).all().item<bool>());
    }

    [Fact]
    public void Every_step_logs_rewards_clipping_lengths_and_timing_and_progress_json_follows_the_contract()
    {
        using var dir = new TemporaryDirectory();
        var config = TinyGrpo.Config(TinyGrpo.Policy(dir), dir.File("gen-2/model"), steps: 2) with
        {
            Rewards = [new RewardSpec { Name = "regex", Pattern = "^[0-9]" }, new RewardSpec { Name = "format", Weight = 0.5 }],
            Beta = 0.02,
            EvalEvery = 1,
            EvalProblems = 4,
        };
        new GrpoRun(config, SilentObserver.Instance).Run();

        var lines = File.ReadAllLines(dir.File("gen-2/metrics.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        var train = lines.Where(l => l.GetProperty("kind").GetString() == "train").ToList();
        Assert.Equal(2, train.Count);
        string[] expected = ["reward", "rewardStd", "reward/regex", "reward/regex/std", "reward/format", "reward/format/std", "accuracy",
            "zeroVarianceGroups", "skippedGroups", "kl", "clipLow", "clipHigh", "entropy", "completionLength", "completionLengthMax",
            "truncationRate", "gradNorm", "lr", "rolloutSeconds", "updateSeconds", "tokensPerSecond", "loss"];
        foreach (var key in expected) Assert.True(train[0].TryGetProperty(key, out _), $"metrics line lacks '{key}'");
        Assert.True(train[0].GetProperty("completionLengthMax").GetDouble() <= 3);
        Assert.True(train[0].GetProperty("entropy").GetDouble() > 0);
        Assert.Contains(lines, l => l.GetProperty("kind").GetString() == "eval");

        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("gen-2/progress.json")), "progress.json");
        Assert.Equal("grpo", progress.Kind);
        Assert.Equal(2, progress.Step);
        Assert.True(progress.Done);
        Assert.True(progress.Metrics.ContainsKey("reward"));
        Assert.True(progress.Metrics.ContainsKey(Progress.RewardFirst));
        Assert.True(progress.Metrics.ContainsKey(Progress.RewardLast));
    }

    [Fact]
    public void Dynamic_sampling_skips_and_counts_groups_without_signal_and_leaves_the_policy_unchanged()
    {
        using var dir = new TemporaryDirectory();
        string policy = TinyGrpo.Policy(dir);
        // No 3-token completion contains "zzzz": every group is all zeros.
        var config = TinyGrpo.Config(policy, dir.File("out/model"), steps: 2) with { Rewards = [new RewardSpec { Name = "regex", Pattern = "zzzz" }], DynamicSampling = true };
        new GrpoRun(config, SilentObserver.Instance).Run();

        var train = File.ReadAllLines(dir.File("out/metrics.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.All(train, l => Assert.Equal(4, l.GetProperty("skippedGroups").GetDouble()));
        Assert.All(train, l => Assert.Equal(1, l.GetProperty("zeroVarianceGroups").GetDouble()));
        var before = SafetensorsReader.Load(Path.Combine(policy, "model.safetensors"));
        var after = SafetensorsReader.Load(dir.File("out/model/model.safetensors"));
        foreach (var (name, tensor) in before) TensorAssert.Identical(tensor, after[name], name);
    }

    [Fact]
    public void Bad_input_is_a_clear_error_and_the_checkpoints_already_written_are_kept()
    {
        using var dir = new TemporaryDirectory();
        string policy = TinyGrpo.Policy(dir);
        var config = TinyGrpo.Config(policy, dir.File("run/model"), steps: 4) with { CheckpointEvery = 2 };
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new GrpoRun(config, new CancelAtStep(cts, 3)).Run(cts.Token));
        var saved = TrainingCheckpoint.List(dir.File("run/checkpoints")).Single();
        var stamp = File.GetLastWriteTimeUtc(Path.Combine(saved.Path, TrainingState.FileName));

        File.WriteAllText(dir.File("bad.jsonl"), "{\"prompt\": \"1+1=\", \"answer\": \"2\"}\n{\"prompt\": \"2+2=\"}\n");
        var noAnswer = Assert.Throws<InvalidDataException>(() => new GrpoRun(config with { Data = new DataConfig { Path = dir.File("bad.jsonl") } }, SilentObserver.Instance).Run());
        Assert.Contains("bad.jsonl:2", noAnswer.Message);
        Assert.Contains("answer", noAnswer.Message);

        var missing = Assert.Throws<ConfigError>(() => new GrpoRun(config with { Policy = dir.File("no-such-model") }, SilentObserver.Instance).Run());
        Assert.Contains("policy", missing.Message);
        Assert.Contains("no-such-model", missing.Message);

        var unknown = Assert.Throws<ConfigError>(() => new GrpoRun(config with { Rewards = [new RewardSpec { Name = "magic" }] }, SilentObserver.Instance).Run());
        Assert.Contains("rewards[0].name", unknown.Message);

        Assert.Equal(saved, TrainingCheckpoint.List(dir.File("run/checkpoints")).Single());
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(Path.Combine(saved.Path, TrainingState.FileName)));
        Assert.False(Directory.Exists(dir.File("run/model")));
    }
}
