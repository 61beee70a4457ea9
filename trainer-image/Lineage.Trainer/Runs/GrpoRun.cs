using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Runs;

/// <param name="RewardCurve">mean total reward of every step this invocation ran, in order.</param>
public sealed record GrpoOutcome(string ModelDirectory, long Steps, double Seconds, IReadOnlyList<double> RewardCurve, EvalRun? FinalEval);

/// <summary>
/// `grpo`: improve a policy with group-relative policy optimisation on verifiable (or model-based) rewards. Everything
/// that can be wrong with the input is checked before anything is written; checkpoints hold model, optimizer, sampling
/// RNG and data position, so a resumed run ends with the same weights as an uninterrupted one.
/// </summary>
public sealed class GrpoRun(GrpoConfig config, IRunObserver observer, TextWriter? metricsConsole = null,
    Func<RewardSpec, IRewardFunction>? modelRewards = null)
{
    public GrpoOutcome Run(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        ConfigLoader.Check(config, "grpo config");
        var storage = RunStorage.For(config.Output, config.State, "grpo");
        var paths = storage.Paths;
        var reward = CompositeReward.FromSpecs(config.Rewards, "rewards", modelRewards);
        var train = ProblemSet.Load(config.Data);
        if (train.Count == 0) throw new ConfigError("data: no problems to train on");
        var eval = EvalProblems();
        RequireModelDirectory(config.Policy, "policy");
        if (config.Beta != 0) RequireModelDirectory(config.Reference ?? config.Policy, config.Reference is null ? "policy" : "reference");

        string? resumeFrom = config.Resume ? storage.LatestCheckpoint(ct) : null;
        TrainingState? resumed = null;
        PretrainedModel policy;
        if (resumeFrom is not null) (policy, resumed) = TrainingCheckpoint.LoadModel(resumeFrom);
        else policy = PretrainedModel.Load(ModelLocation.Materialize(config.Policy, ct));
        using var _ = policy;
        using var reference = config.Beta != 0 ? Frozen(PretrainedModel.Load(ModelLocation.Materialize(config.Reference ?? config.Policy, ct)).Model) : null;

        var optim = config.Optim;
        using var optimizer = new AdamW(policy.Model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        long optimizerSteps = resumed?.OptimizerStep ?? (resumed?.Step ?? 0) * config.NumIterations;
        if (resumeFrom is not null) TrainingCheckpoint.LoadOptimizer(resumeFrom, optimizer, optimizerSteps);
        var generator = new Generator().manual_seed(config.Seed);
        if (resumed?.GeneratorState is { } state) TrainingCheckpoint.RestoreGenerator(generator, state);
        var loop = new TrainingLoop(optimizer, optim, (long)config.Steps * config.NumIterations);
        var grpo = new GrpoStep(config, policy, reference, reward, loop, generator) { OptimizerSteps = optimizerSteps };
        var order = new DataOrder(train.Count, config.Seed);
        var progress = storage.ProgressWriter("grpo", config.Steps, observer);
        using var metrics = new MetricsLog(metricsConsole, paths.Metrics);

        long start = resumed?.Step ?? 0;
        long position = resumed?.DataPosition ?? 0;
        string? lastCheckpoint = resumeFrom;
        if (resumeFrom is not null) observer.Note($"resuming from {resumeFrom} at step {start}");
        observer.Started("grpo", start, config.Steps);
        policy.Model.train();
        var curve = new List<double>();
        var last = new Dictionary<string, double>();
        for (long step = start; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var prompts = order.Take(train, position, config.PromptsPerStep);
            position += config.PromptsPerStep;
            var result = grpo.Run(step, prompts, ct);
            curve.Add(result.Reward);
            last = result.Metrics;
            observer.Step(result.Summary, config.Steps);
            if ((step + 1) % config.LogEvery == 0 || step + 1 == config.Steps) metrics.Write("train", last, step + 1);

            if (eval is not null && config.EvalEvery > 0 && (step + 1) % config.EvalEvery == 0 && step + 1 < config.Steps)
                Evaluate(policy, eval, step + 1, metrics, last);
            if (config.CheckpointEvery > 0 && (step + 1) % config.CheckpointEvery == 0 && step + 1 < config.Steps)
                lastCheckpoint = storage.CheckpointSaved(TrainingCheckpoint.Save(paths.Checkpoints, policy, optimizer, new TrainingState
                {
                    Kind = "grpo", Step = step + 1, Seed = config.Seed, DataPosition = position, OptimizerStep = grpo.OptimizerSteps,
                    GeneratorState = TrainingCheckpoint.EncodeGenerator(generator), Metrics = last,
                }, config.KeepCheckpoints), step + 1, config.KeepCheckpoints, ct);
            progress.Report(step + 1, last, lastCheckpoint);
        }

        EvalRun? final = eval is null || config.EvalEvery <= 0 ? null : Evaluate(policy, eval, config.Steps, metrics, last);
        policy.Save(paths.Output);
        storage.ModelSaved(config.Steps, ct);
        progress.Report(config.Steps, last, lastCheckpoint, done: true);
        return new GrpoOutcome(storage.OutputLocation, config.Steps - start, clock.Elapsed.TotalSeconds, curve, final);
    }

    /// <summary>Held-out problems: the eval config, else the test split of a built-in training task.</summary>
    IReadOnlyList<Problem>? EvalProblems()
    {
        var data = config.Eval ?? (string.IsNullOrEmpty(config.Data.Task) ? null : config.Data with { Split = "test", Count = config.EvalProblems });
        return data is null ? null : ProblemSet.Load(data).Take(config.EvalProblems).ToList();
    }

    static void RequireModelDirectory(string path, string field)
    {
        if (path.Contains("://", StringComparison.Ordinal)) return;
        if (!Directory.Exists(path)) throw new ConfigError($"{field}: model directory not found: {Path.GetFullPath(path)}");
    }

    static CausalLM Frozen(CausalLM model)
    {
        foreach (var p in model.parameters()) p.requires_grad = false;
        model.eval();
        return model;
    }

    EvalRun Evaluate(PretrainedModel model, IReadOnlyList<Problem> problems, long step, MetricsLog metrics, Dictionary<string, double> last) =>
        HeldOutEval.Run(model, problems, config.Sampling.MaxNewTokens, step, metrics, last, observer);
}
