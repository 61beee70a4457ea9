using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Runs;

/// <param name="InitialHeldOut">Held-out accuracy before the first step (null when resumed).</param>
public sealed record RewardModelOutcome(string ModelDirectory, long Steps, double Seconds, PairwiseAccuracy? InitialHeldOut, PairwiseAccuracy HeldOut);

/// <summary>
/// `rm`: Bradley–Terry training of a scalar-head reward model on preference pairs, held-out pairwise
/// accuracy, checkpoints with exact resume and progress.json like <see cref="SftRun"/>; the reward
/// model directory is written last.
/// </summary>
public sealed class RewardModelRun(RewardModelConfig config, IRunObserver observer, TextWriter? metricsConsole = null)
{
    public RewardModelOutcome Run(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var storage = RunStorage.For(config.Output, config.State, "rm");
        var paths = storage.Paths;
        var (train, heldOut) = LoadPairs();
        if (train.Count == 0) throw new ConfigError("pairs: no training pairs left after holding out heldOutFraction");
        if (config.EvalPairsCount > 0) heldOut = heldOut.Take(config.EvalPairsCount).ToList();

        string? resumeFrom = config.Resume ? storage.LatestCheckpoint(ct) : null;
        TrainingState? resumed = resumeFrom is null ? null : TrainingState.Load(Path.Combine(resumeFrom, TrainingState.FileName));
        using var model = resumeFrom is not null ? PretrainedRewardModel.Load(resumeFrom)
            : !string.IsNullOrEmpty(config.Model) ? PretrainedRewardModel.Load(ModelLocation.Materialize(config.Model, ct), config.Seed)
            : PretrainedRewardModel.Create(config.Init, BuiltInTokenizer.Create(), config.Seed);

        var tokens = train.Select(p => Tokens(model, p)).ToList();
        var optim = config.Optim;
        using var optimizer = new AdamW(model.Model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        if (resumeFrom is not null) TrainingCheckpoint.LoadOptimizer(resumeFrom, optimizer, resumed!.Step);
        var loop = new TrainingLoop(optimizer, optim, config.Steps);
        var order = new DataOrder(tokens.Count, config.Seed);
        var progress = storage.ProgressWriter("rm", config.Steps, observer);
        using var metrics = new MetricsLog(metricsConsole, paths.Metrics);

        long start = resumed?.Step ?? 0, position = resumed?.DataPosition ?? 0;
        string? lastCheckpoint = resumeFrom;
        if (resumeFrom is not null) observer.Note($"resuming from {resumeFrom} at step {start}");
        observer.Note($"reward model: {train.Count} training pairs, {heldOut.Count} held out");
        PairwiseAccuracy? initial = resumeFrom is null ? Evaluate(model, heldOut, 0, metrics) : null;
        observer.Started("rm", start, config.Steps);
        model.Model.train();
        var last = new Dictionary<string, double>();
        for (long step = start; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var micro = new List<Preferences.SequenceBatch>(optim.GradientAccumulation);
            for (int a = 0; a < optim.GradientAccumulation; a++)
            {
                micro.Add(RewardModelObjective.Batch(order.Take(tokens, position, config.BatchSize), config.MaxSeqLen, model.Tokenizer.PadId));
                position += config.BatchSize;
            }
            var m = loop.Step(step, micro, b => RewardModelObjective.Evaluate(model.Model, b));
            foreach (var b in micro) b.Dispose();
            observer.Step(m, config.Steps);
            last = new Dictionary<string, double>(MetricsLog.Of(m));
            if ((step + 1) % config.LogEvery == 0 || step + 1 == config.Steps) metrics.Write("train", last, step + 1);
            if (config.EvalEvery > 0 && (step + 1) % config.EvalEvery == 0 && step + 1 < config.Steps)
                Record(Evaluate(model, heldOut, step + 1, metrics), last);
            if (config.SaveEvery > 0 && (step + 1) % config.SaveEvery == 0 && step + 1 < config.Steps)
                lastCheckpoint = storage.CheckpointSaved(TrainingCheckpoint.Save(paths.Checkpoints, model.Save, optimizer,
                    new TrainingState { Kind = "rm", Step = step + 1, Seed = config.Seed, DataPosition = position, Metrics = last }, config.KeepCheckpoints), step + 1, config.KeepCheckpoints, ct);
            progress.Report(step + 1, last, lastCheckpoint);
        }

        var final = Evaluate(model, heldOut, config.Steps, metrics);
        Record(final, last);
        model.Save(paths.Output);
        storage.ModelSaved(config.Steps, ct);
        progress.Report(config.Steps, last, lastCheckpoint, done: true);
        return new RewardModelOutcome(storage.OutputLocation, config.Steps - start, clock.Elapsed.TotalSeconds, initial, final);
    }

    (IReadOnlyList<PreferencePair> Train, IReadOnlyList<PreferencePair> HeldOut) LoadPairs()
    {
        IReadOnlyList<PreferencePair> train, heldOut;
        if (config.Task is { } task)
        {
            train = SyntheticPairs.From(ProblemSet.Load(task with { Split = SplitAssignment.Train }), task.Seed);
            int held = config.EvalPairsCount > 0 ? config.EvalPairsCount : 500;
            heldOut = SyntheticPairs.From(ProblemSet.Load(task with { Split = SplitAssignment.Test, Count = held, Seed = task.Seed + 1 }), task.Seed + 1);
        }
        else
        {
            (train, heldOut) = HeldOutPairs.Split(PreferencePairFile.Read(config.Pairs!), config.EvalPairs is null ? config.HeldOutFraction : 0);
        }
        if (config.EvalPairs is not null) heldOut = PreferencePairFile.Read(config.EvalPairs);
        return (train, heldOut);
    }

    static PairTokens Tokens(PretrainedRewardModel model, PreferencePair pair)
    {
        var prompt = model.Format.PromptIds(model.Tokenizer, pair.Prompt).ToArray();
        int eot = model.Format.EndOfTurn(model.Tokenizer);
        return new PairTokens(prompt, [.. model.Tokenizer.Encode(pair.Chosen), eot], [.. model.Tokenizer.Encode(pair.Rejected), eot]);
    }

    PairwiseAccuracy Evaluate(PretrainedRewardModel model, IReadOnlyList<PreferencePair> heldOut, long step, MetricsLog metrics)
    {
        var result = PairwiseAccuracy.Of(model, heldOut);
        metrics.Write("eval", new Dictionary<string, double> { ["pairwiseAccuracy"] = result.Accuracy, ["meanMargin"] = result.MeanMargin, ["pairs"] = result.Pairs }, step);
        observer.Note($"held-out pairwise accuracy at step {step}: {result.Accuracy:P1} over {result.Pairs} pairs (mean margin {result.MeanMargin:F3})");
        return result;
    }

    static void Record(PairwiseAccuracy result, Dictionary<string, double> last)
    {
        last["heldOutAccuracy"] = result.Accuracy;
        last["heldOutMargin"] = result.MeanMargin;
    }
}
