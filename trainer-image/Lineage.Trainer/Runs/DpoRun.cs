using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Devices;
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
        var device = ComputeDevice.Resolve(config.Device);
        var storage = RunStorage.For(config.Output, config.State, "dpo");
        var eval = config.Eval is null ? null : ProblemSet.Load(DataLocation.Materialize(config.Eval, "eval", ct)).Take(config.EvalProblems).ToList();
        IReadOnlyList<PreferencePair>? filePairs = config.Pairs is null ? null : PreferencePairFile.Read(config.Pairs);
        var problems = config.Data is null ? null : ProblemSet.Load(DataLocation.Materialize(config.Data, "data", ct));
        if (problems is { Count: 0 }) throw new ConfigError("data: no prompts to sample from");
        var reward = problems is null ? null : CompositeReward.FromSpecs(config.Rewards, "rewards", modelRewards, device);

        using var session = TrainingSession.Open(storage, "dpo", config.Steps, config.KeepCheckpoints, config.Resume, observer, metricsConsole, ct);
        using var policy = PretrainedModel.Load(session.ResumeFrom ?? ModelLocation.Materialize(config.Policy, ct), device);
        using var reference = PretrainedModel.Load(ModelLocation.Materialize(config.Reference ?? config.Policy, ct), device);
        reference.Model.eval();
        foreach (var p in reference.Model.parameters()) p.requires_grad = false;

        var optim = config.Optim;
        using var optimizer = session.Optimizer(policy.Model.named_parameters(), optim);
        using var generator = new Generator(0, device).manual_seed(config.Seed);
        var resumed = session.Resumed;
        if (resumed?.GeneratorState is { } state) TrainingCheckpoint.RestoreGenerator(generator, state);
        var fileTokens = filePairs?.Select(p => Tokens(policy, p)).ToList();
        var order = new DataOrder(fileTokens?.Count ?? problems!.Count, config.Seed);
        var loop = new TrainingLoop(optimizer, optim, config.Steps);

        long position = session.DataPosition;
        long pairCount = (long)(resumed?.Metrics.GetValueOrDefault("pairsTotal") ?? 0), tiedCount = (long)(resumed?.Metrics.GetValueOrDefault("tiedTotal") ?? 0);
        EvalRun? initial = eval is not null && session.ResumeFrom is null ? Evaluate(policy, eval, 0, session.Metrics, []) : null;
        session.Started();
        policy.Model.train();
        var last = new Dictionary<string, double>();
        int stepPairs = config.BatchSize * optim.GradientAccumulation;
        for (long step = session.StartStep; step < config.Steps; step++)
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
                var micro = Chunks(pairs, optim.GradientAccumulation).Select(c => DpoObjective.Batch(c, config.MaxSeqLen, policy.Tokenizer.PadId, device)).ToList();
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
            long done = step + 1, at = position;
            var snapshot = last;
            bool evalDue = eval is not null && config.EvalEvery > 0 && done % config.EvalEvery == 0 && done < config.Steps;
            session.Stepped(done, last, config.LogEvery, config.SaveEvery, () => session.SaveCheckpoint(policy.Save, optimizer, new TrainingState
            {
                Step = done, Seed = config.Seed, DataPosition = at, GeneratorState = TrainingCheckpoint.EncodeGenerator(generator), Metrics = snapshot,
            }), evalDue ? () => Evaluate(policy, eval!, done, session.Metrics, snapshot) : null);
        }

        EvalRun? final = eval is null ? null : Evaluate(policy, eval, config.Steps, session.Metrics, last);
        session.Finish(policy.Save, last);
        foreach (var term in reward?.Terms ?? []) (term.Function as IDisposable)?.Dispose();
        return new DpoOutcome(session.OutputLocation, config.Steps - session.StartStep, clock.Elapsed.TotalSeconds, initial, final, pairCount, tiedCount);
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
