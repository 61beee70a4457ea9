using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Devices;
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
    const int KeepCheckpoints = 3;

    public SftOutcome Run(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var device = ComputeDevice.Resolve(config.Device);
        var storage = RunStorage.For(config.Output, config.State, "sft");
        var train = ProblemSet.Load(DataLocation.Materialize(config.Train, "train", ct));
        var eval = config.Eval is null ? null : ProblemSet.Load(DataLocation.Materialize(config.Eval, "eval", ct));
        if (train.Count == 0) throw new ConfigError("train: no problems to train on");

        using var session = TrainingSession.Open(storage, "sft", config.Steps, KeepCheckpoints, config.Resume, observer, metricsConsole, ct);
        using var model = session.ResumeFrom is not null ? PretrainedModel.Load(session.ResumeFrom, device)
            : !string.IsNullOrEmpty(config.Model) ? PretrainedModel.Load(ModelLocation.Materialize(config.Model, ct), device)
            : PretrainedModel.Create(config.Init, BuiltInTokenizer.Create(), config.Seed, device);
        var settings = new SupervisedSettings(config.Steps, config.BatchSize, config.MaxSeqLen, config.Packing, config.Optim, config.Seed,
            config.SaveEvery, config.LogEvery, eval is null ? 0 : config.EvalEvery);
        var last = SupervisedTraining.Run(session, model, train.Select(model.Example).ToList(), settings, observer,
            (step, metrics) => Evaluate(model, eval!, step, session.Metrics, metrics), ct: ct);

        EvalRun? final = eval is null ? null : Evaluate(model, eval, config.Steps, session.Metrics, last);
        session.Finish(model.Save, last);
        return new SftOutcome(session.OutputLocation, config.Steps - session.StartStep, clock.Elapsed.TotalSeconds, final);
    }

    EvalRun Evaluate(PretrainedModel model, IReadOnlyList<Problem> problems, long step, MetricsLog metrics, Dictionary<string, double> last)
    {
        var subset = problems.Take(config.EvalProblems).ToList();
        int budget = Math.Max(16, subset.Max(p => model.Example(p).Completion.Length) * 2);
        return HeldOutEval.Run(model, subset, Math.Min(budget, config.MaxSeqLen), step, metrics, last, observer);
    }
}
