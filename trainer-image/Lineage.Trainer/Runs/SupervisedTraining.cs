using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Runs;

/// <summary>The settings of the supervised loop that `sft` and `distill` share.</summary>
public sealed record SupervisedSettings(int Steps, int BatchSize, int MaxSeqLen, bool Packing, OptimConfig Optim, long Seed,
    int CheckpointEvery, int LogEvery, int EvalEvery = 0);

/// <summary>
/// Supervised fine-tuning with the loss on completion tokens only (the prompt is masked): a seeded data order over the
/// examples, gradient accumulation, and the session's checkpoints and progress. Resumes at the session's step and
/// data position, so an interrupted run ends with the weights of an uninterrupted one. Used by `sft` and `distill`.
/// </summary>
public static class SupervisedTraining
{
    /// <param name="evaluate">Called every <see cref="SupervisedSettings.EvalEvery"/> steps before the last with the step and the
    /// metrics to add to.</param>
    /// <param name="constant">Metrics reported with every step (e.g. a distillation's trace counts).</param>
    /// <returns>The last step's metrics (with <paramref name="constant"/>).</returns>
    public static Dictionary<string, double> Run(TrainingSession session, PretrainedModel model, IReadOnlyList<SftExample> examples,
        SupervisedSettings settings, IRunObserver observer, Action<long, Dictionary<string, double>>? evaluate = null,
        IReadOnlyDictionary<string, double>? constant = null, CancellationToken ct = default)
    {
        if (examples.Count == 0) throw new ArgumentException("supervised training needs at least one example", nameof(examples));
        var optim = settings.Optim;
        var device = model.Model.Device;
        using var optimizer = session.Optimizer(model.Model.named_parameters(), optim);
        var loop = new TrainingLoop(optimizer, optim, settings.Steps);
        var order = new DataOrder(examples.Count, settings.Seed);
        long position = session.DataPosition;
        session.Started();
        model.Model.train();
        var last = new Dictionary<string, double>(constant ?? new Dictionary<string, double>());
        for (long step = session.StartStep; step < settings.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var micro = new List<SftBatch>(optim.GradientAccumulation);
            for (int a = 0; a < optim.GradientAccumulation; a++)
            {
                var chunk = order.Take(examples, position, settings.BatchSize);
                position += settings.BatchSize;
                micro.Add(settings.Packing ? SftBatch.Packed(chunk, settings.MaxSeqLen, model.Tokenizer.PadId, device) : SftBatch.Padded(chunk, settings.MaxSeqLen, model.Tokenizer.PadId, device));
            }
            var m = loop.Step(step, micro, b => SftObjective.Evaluate(model.Model, b));
            foreach (var b in micro) b.Dispose();
            observer.Step(m, settings.Steps);
            last = new Dictionary<string, double>(MetricsLog.Of(m));
            foreach (var (k, v) in constant ?? new Dictionary<string, double>()) last[k] = v;
            long done = step + 1, at = position;
            var snapshot = last;
            bool evalDue = evaluate is not null && settings.EvalEvery > 0 && done % settings.EvalEvery == 0 && done < settings.Steps;
            session.Stepped(done, last, settings.LogEvery, settings.CheckpointEvery,
                () => session.SaveCheckpoint(model.Save, optimizer, new TrainingState { Step = done, Seed = settings.Seed, DataPosition = at, Metrics = snapshot }),
                evalDue ? () => evaluate!(done, snapshot) : null);
        }
        return last;
    }
}
