using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Runs;

public sealed record SftOutcome(string ModelDirectory, long Steps, double Seconds, EvalRun? FinalEval);

/// <summary>
/// `sft`: think-format examples, loss on completion tokens, AdamW with warmup + cosine, periodic eval
/// and checkpoints, exact resume from the latest checkpoint, the trained model written last.
/// </summary>
public sealed class SftRun(SftConfig config, IRunObserver observer, TextWriter? metricsConsole = null)
{
    public SftOutcome Run(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var storage = RunStorage.For(config.Output, config.State, "sft");
        var paths = storage.Paths;
        var train = ProblemSet.Load(config.Train);
        var eval = config.Eval is null ? null : ProblemSet.Load(config.Eval);
        if (train.Count == 0) throw new ConfigError("train: no problems to train on");

        string? resumeFrom = config.Resume ? storage.LatestCheckpoint(ct) : null;
        TrainingState? resumed = null;
        PretrainedModel model;
        if (resumeFrom is not null) (model, resumed) = TrainingCheckpoint.LoadModel(resumeFrom);
        else if (!string.IsNullOrEmpty(config.Model)) model = PretrainedModel.Load(ModelLocation.Materialize(config.Model, ct));
        else model = PretrainedModel.Create(config.Init, BuiltInTokenizer.Create(), config.Seed);
        using var _ = model;

        var examples = train.Select(model.Example).ToList();
        var optim = config.Optim;
        using var optimizer = new AdamW(model.Model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        if (resumeFrom is not null) TrainingCheckpoint.LoadOptimizer(resumeFrom, optimizer, resumed!.Step);
        var loop = new TrainingLoop(optimizer, optim, config.Steps);
        var order = new DataOrder(examples.Count, config.Seed);
        var progress = storage.ProgressWriter("sft", config.Steps, observer);
        using var metrics = new MetricsLog(metricsConsole, paths.Metrics);

        long start = resumed?.Step ?? 0;
        long position = resumed?.DataPosition ?? 0;
        string? lastCheckpoint = resumeFrom;
        if (resumeFrom is not null) observer.Note($"resuming from {resumeFrom} at step {start}");
        observer.Started("sft", start, config.Steps);
        model.Model.train();
        var last = new Dictionary<string, double>();
        for (long step = start; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            var micro = new List<SftBatch>(optim.GradientAccumulation);
            for (int a = 0; a < optim.GradientAccumulation; a++)
            {
                var chunk = order.Take(examples, position, config.BatchSize);
                position += config.BatchSize;
                micro.Add(config.Packing ? SftBatch.Packed(chunk, config.MaxSeqLen, model.Tokenizer.PadId) : SftBatch.Padded(chunk, config.MaxSeqLen, model.Tokenizer.PadId));
            }
            var m = loop.Step(step, micro, b => SftObjective.Evaluate(model.Model, b));
            foreach (var b in micro) b.Dispose();
            observer.Step(m, config.Steps);
            last = new Dictionary<string, double>(MetricsLog.Of(m));
            if ((step + 1) % config.LogEvery == 0 || step + 1 == config.Steps) metrics.Write("train", last, step + 1);

            if (eval is not null && config.EvalEvery > 0 && (step + 1) % config.EvalEvery == 0 && step + 1 < config.Steps)
                Evaluate(model, eval, step + 1, metrics, last);
            if (config.SaveEvery > 0 && (step + 1) % config.SaveEvery == 0 && step + 1 < config.Steps)
                lastCheckpoint = storage.CheckpointSaved(TrainingCheckpoint.Save(paths.Checkpoints, model, optimizer,
                    new TrainingState { Kind = "sft", Step = step + 1, Seed = config.Seed, DataPosition = position, Metrics = last }, keep: 3), step + 1, keep: 3, ct);
            progress.Report(step + 1, last, lastCheckpoint);
        }

        EvalRun? final = eval is null ? null : Evaluate(model, eval, config.Steps, metrics, last);
        model.Save(paths.Output);
        storage.ModelSaved(config.Steps, ct);
        progress.Report(config.Steps, last, lastCheckpoint, done: true);
        return new SftOutcome(storage.OutputLocation, config.Steps - start, clock.Elapsed.TotalSeconds, final);
    }

    EvalRun Evaluate(PretrainedModel model, IReadOnlyList<Problem> problems, long step, MetricsLog metrics, Dictionary<string, double> last)
    {
        var subset = problems.Take(config.EvalProblems).ToList();
        int budget = Math.Max(16, subset.Max(p => model.Example(p).Completion.Length) * 2);
        return HeldOutEval.Run(model, subset, Math.Min(budget, config.MaxSeqLen), step, metrics, last, observer);
    }
}
