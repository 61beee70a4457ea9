using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Devices;
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
        var device = ComputeDevice.Resolve(config.Device);
        var storage = RunStorage.For(config.Output, config.State, "grpo");
        var reward = CompositeReward.FromSpecs(config.Rewards, "rewards", modelRewards, device);
        var train = ProblemSet.Load(DataLocation.Materialize(config.Data, "data", ct));
        if (train.Count == 0) throw new ConfigError("data: no problems to train on");
        var eval = EvalProblems(ct);
        RequireModelDirectory(config.Policy, "policy");
        if (config.Beta != 0) RequireModelDirectory(config.Reference ?? config.Policy, config.Reference is null ? "policy" : "reference");

        using var session = TrainingSession.Open(storage, "grpo", config.Steps, config.KeepCheckpoints, config.Resume, observer, metricsConsole, ct);
        using var policy = PretrainedModel.Load(session.ResumeFrom ?? ModelLocation.Materialize(config.Policy, ct), device);
        using var reference = config.Beta != 0 ? Frozen(PretrainedModel.Load(ModelLocation.Materialize(config.Reference ?? config.Policy, ct), device).Model) : null;

        // Created after the policy is on its device, so its moments are made there too.
        // μ updates per step, none on a skipped one: the optimizer's step count is its own.
        long optimizerSteps = session.Resumed?.OptimizerStep ?? session.StartStep * config.NumIterations;
        using var optimizer = session.Optimizer(policy.Model.named_parameters(), config.Optim, optimizerSteps);
        var generator = new Generator(0, device).manual_seed(config.Seed);
        if (session.Resumed?.GeneratorState is { } state) TrainingCheckpoint.RestoreGenerator(generator, state);
        var loop = new TrainingLoop(optimizer, config.Optim, (long)config.Steps * config.NumIterations);
        var grpo = new GrpoStep(config, policy, reference, reward, loop, generator) { OptimizerSteps = optimizerSteps };
        var order = new DataOrder(train.Count, config.Seed);

        long position = session.DataPosition;
        session.Started();
        policy.Model.train();
        var curve = new List<double>();
        var rewards = new RewardWindows(session.Resumed?.FirstRewards, session.Resumed?.LastRewards);
        var last = new Dictionary<string, double>();
        for (long step = session.StartStep; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var prompts = order.Take(train, position, config.PromptsPerStep);
            position += config.PromptsPerStep;
            var result = grpo.Run(step, prompts, ct);
            curve.Add(result.Reward);
            rewards.Add(result.Reward);
            last = result.Metrics;
            rewards.Report(last);
            observer.Step(result.Summary, config.Steps);
            long done = step + 1, at = position;
            var snapshot = last;
            bool evalDue = eval is not null && config.EvalEvery > 0 && done % config.EvalEvery == 0 && done < config.Steps;
            session.Stepped(done, last, config.LogEvery, config.CheckpointEvery, () => session.SaveCheckpoint(policy.Save, optimizer, new TrainingState
            {
                Step = done, Seed = config.Seed, DataPosition = at, OptimizerStep = grpo.OptimizerSteps,
                GeneratorState = TrainingCheckpoint.EncodeGenerator(generator), FirstRewards = rewards.First, LastRewards = rewards.Last,
                Metrics = snapshot,
            }), evalDue ? () => Evaluate(policy, eval!, done, session.Metrics, snapshot) : null);
        }

        EvalRun? final = eval is null || config.EvalEvery <= 0 ? null : Evaluate(policy, eval, config.Steps, session.Metrics, last);
        session.Finish(policy.Save, last);
        return new GrpoOutcome(session.OutputLocation, config.Steps - session.StartStep, clock.Elapsed.TotalSeconds, curve, final);
    }

    /// <summary>Held-out problems: the eval config, else the test split of a built-in training task.</summary>
    IReadOnlyList<Problem>? EvalProblems(CancellationToken ct)
    {
        var data = config.Eval ?? (string.IsNullOrEmpty(config.Data.Task) ? null : config.Data with { Split = "test", Count = config.EvalProblems });
        return data is null ? null : ProblemSet.Load(DataLocation.Materialize(data, "eval", ct)).Take(config.EvalProblems).ToList();
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
