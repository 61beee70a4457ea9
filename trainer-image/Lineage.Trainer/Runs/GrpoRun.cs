using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
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
/// <param name="Judge">The judge check's result (also in progress.json); null when the run has none.</param>
public sealed record GrpoOutcome(string ModelDirectory, long Steps, double Seconds, IReadOnlyList<double> RewardCurve, EvalRun? FinalEval,
    JudgeCheckResult? Judge = null);

/// <summary>
/// `grpo`: improve a policy with group-relative policy optimisation on verifiable (or model-based) rewards. Everything
/// that can be wrong with the input is checked before anything is written; checkpoints hold model, optimizer, sampling
/// RNG and data position, so a resumed run ends with the same weights as an uninterrupted one. A judge term with a
/// judgeCheck is qualified first (<see cref="JudgeCheck"/>) and dropped, in favour of the verifiable reward, when it picks
/// no better than random.
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
        var train = ProblemSet.Load(DataLocation.Materialize(config.Data, "data", ct));
        if (train.Count == 0) throw new ConfigError("data: no problems to train on");
        var eval = EvalProblems(ct);
        RequireModelDirectory(config.Policy, "policy");
        if (config.Beta != 0) RequireModelDirectory(config.Reference ?? config.Policy, config.Reference is null ? "policy" : "reference");

        using var session = TrainingSession.Open(storage, "grpo", config.Steps, config.KeepCheckpoints, config.Resume, observer, metricsConsole, ct);
        using var policy = PretrainedModel.Load(session.ResumeFrom ?? ModelLocation.Materialize(config.Policy, ct), device);
        using var reference = config.Beta != 0 ? Frozen(PretrainedModel.Load(ModelLocation.Materialize(config.Reference ?? config.Policy, ct), device).Model) : null;
        var (reward, judge, trainedJudge) = Rewards(policy, train, session, device, ct);
        session.Judge = judge;

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
            session.Stepped(done, last, config.LogEvery, config.CheckpointEvery, () => session.SaveCheckpoint(dir => SaveWithJudge(policy, trainedJudge, dir), optimizer, new TrainingState
            {
                Step = done, Seed = config.Seed, DataPosition = at, OptimizerStep = grpo.OptimizerSteps,
                GeneratorState = TrainingCheckpoint.EncodeGenerator(generator), FirstRewards = rewards.First, LastRewards = rewards.Last,
                Judge = judge, Metrics = snapshot,
            }), evalDue ? () => Evaluate(policy, eval!, done, session.Metrics, snapshot) : null);
        }

        EvalRun? final = eval is null || config.EvalEvery <= 0 ? null : Evaluate(policy, eval, config.Steps, session.Metrics, last);
        session.Finish(policy.Save, last);
        return new GrpoOutcome(session.OutputLocation, config.Steps - session.StartStep, clock.Elapsed.TotalSeconds, curve, final, judge);
    }

    /// <summary>Where a checkpoint keeps a judge the run fine-tuned and uses, so a resumed run judges with the same weights.</summary>
    public const string JudgeFolder = "judge";

    /// <summary>
    /// The run's reward, the judge check's result and the fine-tuned judge (if one is used). Without a check: every term
    /// as configured. With one: the judge term is qualified first — or, on resume, the saved decision is kept — and when it
    /// does not beat random the run trains on the other terms (accuracy if there are none).
    /// </summary>
    (CompositeReward Reward, JudgeCheckResult? Judge, PretrainedModel? TrainedJudge) Rewards(PretrainedModel policy, IReadOnlyList<Problem> train,
        TrainingSession session, Device device, CancellationToken ct)
    {
        if (config.JudgeCheck is not { Enabled: true } check) return (CompositeReward.FromSpecs(config.Rewards, "rewards", modelRewards, device), null, null);
        int index = config.Rewards.FindIndex(r => r.Name == "judge");
        var spec = config.Rewards[index];
        var others = config.Rewards.Where((_, i) => i != index).ToList();
        List<RewardSpec> fallback = others.Count > 0 ? others : [new RewardSpec { Name = "accuracy" }];
        string fallbackText = string.Join(" + ", fallback.Select(r => r.Weight == 1 ? r.Name : $"{r.Weight:0.###} × {r.Name}"));

        JudgeReward judge;
        JudgeCheckResult result;
        if (session.Resumed?.Judge is { } decided)
        {
            result = decided;
            if (!decided.Used) return (CompositeReward.FromSpecs(fallback, "rewards", modelRewards, device), decided, null);
            string? saved = decided.Trained ? Path.Combine(session.ResumeFrom!, JudgeFolder) : null;
            if (saved is not null && !Directory.Exists(saved))
                throw new InvalidDataException($"{session.ResumeFrom}: the run uses a fine-tuned judge but the checkpoint has no {JudgeFolder}/ folder");
            judge = saved is not null
                ? new JudgeReward(PretrainedModel.Load(saved, device), spec.Principles, spec.Samples, spec.MaxScore, spec.Sampling, ownsJudge: true)
                : Judge(spec, index, device);
        }
        else
        {
            judge = Judge(spec, index, device);
            var heldOut = ProblemSet.Load(DataLocation.Materialize(check.Data ?? HeldOutData(check.Problems), "judgeCheck.data", ct));
            result = JudgeCheck.Run(policy, judge, spec, check, heldOut, train, config.Sampling, fallbackText, observer.Note, ct);
            observer.Note(result.Message);
            if (!result.Used)
            {
                judge.Dispose();
                return (CompositeReward.FromSpecs(fallback, "rewards", modelRewards, device), result, null);
            }
        }
        var composite = CompositeReward.FromSpecs(config.Rewards, "rewards",
            s => ReferenceEquals(s, spec) ? judge : modelRewards?.Invoke(s) ?? ModelRewards.Create(s, "rewards", device), device);
        return (composite, result, result.Trained ? judge.Model : null);
    }

    JudgeReward Judge(RewardSpec spec, int index, Device device) =>
        RewardFactory.Create(spec, $"rewards[{index}]", modelRewards, device) as JudgeReward
        ?? throw new ConfigError($"rewards[{index}]: the judge check needs a generative judge (a causal LM that writes a critique and a score)");

    /// <summary>The judge check's held-out problems when judgeCheck.data is not set: the eval data, else the training task's test split.</summary>
    DataConfig HeldOutData(int count) =>
        config.Eval is { } data ? data
        : !string.IsNullOrEmpty(config.Data.Task) ? config.Data with { Split = "test", Count = count }
        : throw new ConfigError("judgeCheck.data: is required when the training data is a file and eval is not set (the judge is qualified on held-out problems)");

    static void SaveWithJudge(PretrainedModel policy, PretrainedModel? trainedJudge, string directory)
    {
        policy.Save(directory);
        trainedJudge?.Save(Path.Combine(directory, JudgeFolder));
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
