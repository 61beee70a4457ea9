using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Devices;
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
        var device = ComputeDevice.Resolve(config.Device);
        var storage = RunStorage.For(config.Output, config.State, "rm");
        var (train, heldOut) = LoadPairs();
        if (train.Count == 0) throw new ConfigError("pairs: no training pairs left after holding out heldOutFraction");
        if (config.EvalPairsCount > 0) heldOut = heldOut.Take(config.EvalPairsCount).ToList();

        using var session = TrainingSession.Open(storage, "rm", config.Steps, config.KeepCheckpoints, config.Resume, observer, metricsConsole, ct);
        using var model = session.ResumeFrom is not null ? PretrainedRewardModel.Load(session.ResumeFrom, device: device)
            : !string.IsNullOrEmpty(config.Model) ? PretrainedRewardModel.Load(ModelLocation.Materialize(config.Model, ct), config.Seed, device)
            : PretrainedRewardModel.Create(config.Init, BuiltInTokenizer.Create(), config.Seed, device);

        var tokens = train.Select(p => Tokens(model, p)).ToList();
        var optim = config.Optim;
        using var optimizer = session.Optimizer(model.Model.named_parameters(), optim);
        var loop = new TrainingLoop(optimizer, optim, config.Steps);
        var order = new DataOrder(tokens.Count, config.Seed);

        long position = session.DataPosition;
        observer.Note($"reward model: {train.Count} training pairs, {heldOut.Count} held out");
        PairwiseAccuracy? initial = session.ResumeFrom is null ? Evaluate(model, heldOut, 0, session.Metrics) : null;
        session.Started();
        model.Model.train();
        var last = new Dictionary<string, double>();
        for (long step = session.StartStep; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var micro = new List<Preferences.SequenceBatch>(optim.GradientAccumulation);
            for (int a = 0; a < optim.GradientAccumulation; a++)
            {
                micro.Add(RewardModelObjective.Batch(order.Take(tokens, position, config.BatchSize), config.MaxSeqLen, model.Tokenizer.PadId, device));
                position += config.BatchSize;
            }
            var m = loop.Step(step, micro, b => RewardModelObjective.Evaluate(model.Model, b));
            foreach (var b in micro) b.Dispose();
            observer.Step(m, config.Steps);
            last = new Dictionary<string, double>(MetricsLog.Of(m));
            long done = step + 1, at = position;
            var snapshot = last;
            bool evalDue = config.EvalEvery > 0 && done % config.EvalEvery == 0 && done < config.Steps;
            session.Stepped(done, last, config.LogEvery, config.SaveEvery,
                () => session.SaveCheckpoint(model.Save, optimizer, new TrainingState { Step = done, Seed = config.Seed, DataPosition = at, Metrics = snapshot }),
                evalDue ? () => Record(Evaluate(model, heldOut, done, session.Metrics), snapshot) : null);
        }

        var final = Evaluate(model, heldOut, config.Steps, session.Metrics);
        Record(final, last);
        session.Finish(model.Save, last);
        return new RewardModelOutcome(session.OutputLocation, config.Steps - session.StartStep, clock.Elapsed.TotalSeconds, initial, final);
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
