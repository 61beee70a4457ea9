using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Runs;

/// <param name="InitialEval">Greedy eval before the first step (null without eval data or when resumed).</param>
public sealed record DpoOutcome(string ModelDirectory, long Steps, double Seconds, EvalRun? InitialEval, EvalRun? FinalEval, long Pairs, long TiedPrompts);

/// <summary>
/// `dpo`: Direct Preference Optimization against a frozen reference, on pairs from a file or built
/// on the fly (<see cref="OnPolicyPairs"/>: the policy samples, a reward ranks). Checkpoints hold the
/// policy, optimizer, data position and sampling RNG, so a resumed run continues exactly; progress.json
/// and metrics.jsonl as in <see cref="SftRun"/>.
/// </summary>
public sealed class DpoRun(DpoConfig config, IRunObserver observer, TextWriter? metricsConsole = null, Func<RewardSpec, IRewardFunction>? modelRewards = null)
{
    public DpoOutcome Run(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var storage = RunStorage.For(config.Output, config.State, "dpo");
        var paths = storage.Paths;
        var eval = config.Eval is null ? null : ProblemSet.Load(config.Eval).Take(config.EvalProblems).ToList();
        IReadOnlyList<PreferencePair>? filePairs = config.Pairs is null ? null : PreferencePairFile.Read(config.Pairs);
        var problems = config.Data is null ? null : ProblemSet.Load(config.Data);
        if (problems is { Count: 0 }) throw new ConfigError("data: no prompts to sample from");
        var reward = problems is null ? null : CompositeReward.FromSpecs(config.Rewards, "rewards", modelRewards);

        string? resumeFrom = config.Resume ? storage.LatestCheckpoint(ct) : null;
        TrainingState? resumed = null;
        PretrainedModel policy;
        if (resumeFrom is not null) (policy, resumed) = TrainingCheckpoint.LoadModel(resumeFrom);
        else policy = PretrainedModel.Load(ModelLocation.Materialize(config.Policy, ct));
        using var _ = policy;
        using var reference = PretrainedModel.Load(ModelLocation.Materialize(config.Reference ?? config.Policy, ct));
        reference.Model.eval();
        foreach (var p in reference.Model.parameters()) p.requires_grad = false;

        var optim = config.Optim;
        using var optimizer = new AdamW(policy.Model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        if (resumeFrom is not null) TrainingCheckpoint.LoadOptimizer(resumeFrom, optimizer, resumed!.Step);
        using var generator = new Generator().manual_seed(config.Seed);
        if (resumed?.GeneratorState is { } state) TrainingCheckpoint.RestoreGenerator(generator, state);
        var fileTokens = filePairs?.Select(p => Tokens(policy, p)).ToList();
        var order = new DataOrder(fileTokens?.Count ?? problems!.Count, config.Seed);
        var loop = new TrainingLoop(optimizer, optim, config.Steps);
        var progress = storage.ProgressWriter("dpo", config.Steps, observer);
        using var metrics = new MetricsLog(metricsConsole, paths.Metrics);

        long start = resumed?.Step ?? 0, position = resumed?.DataPosition ?? 0;
        long pairCount = (long)(resumed?.Metrics.GetValueOrDefault("pairsTotal") ?? 0), tiedCount = (long)(resumed?.Metrics.GetValueOrDefault("tiedTotal") ?? 0);
        string? lastCheckpoint = resumeFrom;
        if (resumeFrom is not null) observer.Note($"resuming from {resumeFrom} at step {start}");
        EvalRun? initial = eval is not null && resumeFrom is null ? Evaluate(policy, eval, 0, metrics, []) : null;
        observer.Started("dpo", start, config.Steps);
        policy.Model.train();
        var last = new Dictionary<string, double>();
        int stepPairs = config.BatchSize * optim.GradientAccumulation;
        for (long step = start; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var extra = new Dictionary<string, double>();
            List<PairTokens> pairs;
            if (fileTokens is not null)
            {
                pairs = order.Take(fileTokens, position, stepPairs);
            }
            else
            {
                var ranked = OnPolicyPairs.Build(policy, order.Take(problems!, position, stepPairs), config.NumGenerations, config.Sampling, reward!, generator, ct);
                policy.Model.train();
                pairs = ranked.Pairs.ToList();
                tiedCount += ranked.TiedPrompts;
                extra["tiedPrompts"] = ranked.TiedPrompts;
                extra["rewardMean"] = ranked.RewardMean;
                extra["rankChosenReward"] = ranked.ChosenRewardMean;
                extra["rankRejectedReward"] = ranked.RejectedRewardMean;
                extra["rolloutSeconds"] = ranked.Seconds;
                foreach (var (key, count) in reward!.Counts()) extra[key] = count;
            }
            position += stepPairs;
            pairCount += pairs.Count;
            extra["pairs"] = pairs.Count;
            if (pairs.Count > 0)
            {
                var micro = Chunks(pairs, optim.GradientAccumulation).Select(c => DpoObjective.Batch(c, config.MaxSeqLen, policy.Tokenizer.PadId)).ToList();
                var m = loop.Step(step, micro, b => DpoObjective.Evaluate(policy.Model, reference.Model, b, config.Beta, config.LabelSmoothing));
                foreach (var b in micro) b.Dispose();
                observer.Step(m, config.Steps);
                last = new Dictionary<string, double>(MetricsLog.Of(m));
            }
            else
            {
                observer.Note($"step {step + 1}: every prompt's completions scored the same; no pair, no update");
                last = new Dictionary<string, double> { ["skipped"] = 1 };
            }
            foreach (var (k, v) in extra) last[k] = v;
            last["pairsTotal"] = pairCount;
            last["tiedTotal"] = tiedCount;
            if ((step + 1) % config.LogEvery == 0 || step + 1 == config.Steps) metrics.Write("train", last, step + 1);
            if (eval is not null && config.EvalEvery > 0 && (step + 1) % config.EvalEvery == 0 && step + 1 < config.Steps)
                Evaluate(policy, eval, step + 1, metrics, last);
            if (config.SaveEvery > 0 && (step + 1) % config.SaveEvery == 0 && step + 1 < config.Steps)
                lastCheckpoint = storage.CheckpointSaved(TrainingCheckpoint.Save(paths.Checkpoints, policy, optimizer, new TrainingState
                {
                    Kind = "dpo", Step = step + 1, Seed = config.Seed, DataPosition = position,
                    GeneratorState = TrainingCheckpoint.EncodeGenerator(generator), Metrics = last,
                }, config.KeepCheckpoints), step + 1, config.KeepCheckpoints, ct);
            progress.Report(step + 1, last, lastCheckpoint);
        }

        EvalRun? final = eval is null ? null : Evaluate(policy, eval, config.Steps, metrics, last);
        policy.Save(paths.Output);
        storage.ModelSaved(config.Steps, ct);
        progress.Report(config.Steps, last, lastCheckpoint, done: true);
        foreach (var term in reward?.Terms ?? []) (term.Function as IDisposable)?.Dispose();
        return new DpoOutcome(storage.OutputLocation, config.Steps - start, clock.Elapsed.TotalSeconds, initial, final, pairCount, tiedCount);
    }

    static PairTokens Tokens(PretrainedModel model, PreferencePair pair)
    {
        int eot = model.Format.EndOfTurn(model.Tokenizer);
        return new PairTokens(model.Format.PromptIds(model.Tokenizer, pair.Prompt).ToArray(),
            [.. model.Tokenizer.Encode(pair.Chosen), eot], [.. model.Tokenizer.Encode(pair.Rejected), eot]);
    }

    static IEnumerable<List<PairTokens>> Chunks(List<PairTokens> pairs, int parts)
    {
        int size = (int)Math.Ceiling(pairs.Count / (double)Math.Min(parts, pairs.Count));
        for (int i = 0; i < pairs.Count; i += size) yield return pairs.GetRange(i, Math.Min(size, pairs.Count - i));
    }

    EvalRun Evaluate(PretrainedModel model, IReadOnlyList<Problem> problems, long step, MetricsLog metrics, Dictionary<string, double> last) =>
        HeldOutEval.Run(model, problems, config.Sampling.MaxNewTokens, step, metrics, last, observer);
}
