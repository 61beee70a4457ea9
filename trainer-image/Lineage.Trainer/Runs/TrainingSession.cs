using Lineage.Contracts.Config;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Training;
using Parameter = TorchSharp.Modules.Parameter;

namespace Lineage.Trainer.Runs;

/// <summary>
/// The edges every training run shares, written once: the checkpoint it resumes from (the store's latest for a remote
/// output), its optimizer with the saved moments, checkpoints saved and published every so many steps, metrics.jsonl,
/// progress.json, and the trained model published last. A run owns only its objective and what it feeds it.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    readonly RunStorage storage;
    readonly IRunObserver observer;
    readonly ProgressWriter progress;
    readonly CancellationToken ct;
    readonly TextWriter? metricsConsole;
    MetricsLog? metrics;

    TrainingSession(RunStorage storage, string kind, long totalSteps, int keepCheckpoints, (string Path, string Location)? resumeFrom, IRunObserver observer,
        TextWriter? metricsConsole, CancellationToken ct)
    {
        (this.storage, Kind, TotalSteps, KeepCheckpoints, this.observer, this.ct) = (storage, kind, totalSteps, keepCheckpoints, observer, ct);
        (ResumeFrom, LastCheckpoint) = (resumeFrom?.Path, resumeFrom?.Location);
        Resumed = ResumeFrom is null ? null : TrainingState.Load(Path.Combine(ResumeFrom, TrainingState.FileName));
        progress = storage.ProgressWriter(kind, totalSteps, observer);
        this.metricsConsole = metricsConsole;
    }

    /// <summary>Opens a run's session; with <paramref name="resume"/>, finds the checkpoint to resume from (downloading it for a remote run).</summary>
    public static TrainingSession Open(RunStorage storage, string kind, long totalSteps, int keepCheckpoints, bool resume, IRunObserver observer,
        TextWriter? metricsConsole, CancellationToken ct) =>
        new(storage, kind, totalSteps, keepCheckpoints, resume ? storage.LatestCheckpoint(ct, observer.Note) : null, observer, metricsConsole, ct);

    public string Kind { get; }
    public long TotalSteps { get; }
    public int KeepCheckpoints { get; }
    /// <summary>The local checkpoint folder the run resumes from; null for a fresh start.</summary>
    public string? ResumeFrom { get; }
    /// <summary>The resumed checkpoint's training state; null for a fresh start.</summary>
    public TrainingState? Resumed { get; }
    /// <summary>What progress.json names as the last checkpoint (a store URI for a remote run).</summary>
    public string? LastCheckpoint { get; private set; }
    /// <summary>metrics.jsonl (opened on first use: a run that fails before its first step leaves no file behind).</summary>
    public MetricsLog Metrics => metrics ??= new MetricsLog(metricsConsole, storage.Paths.Metrics);
    public RunPaths Paths => storage.Paths;
    public string OutputLocation => storage.OutputLocation;
    /// <summary>GRPO's judge check, reported in progress.json from the next write on.</summary>
    public Lineage.Contracts.Store.JudgeCheckResult? Judge
    {
        get => progress.Judge;
        set => progress.Judge = value;
    }
    /// <summary>The first step this invocation runs (0-based).</summary>
    public long StartStep => Resumed?.Step ?? 0;
    /// <summary>Global sample position of the next batch.</summary>
    public long DataPosition => Resumed?.DataPosition ?? 0;

    /// <summary>AdamW over <paramref name="parameters"/>, restored from the resumed checkpoint (at <paramref name="optimizerStep"/>, default the step).</summary>
    public AdamW Optimizer(IEnumerable<(string Name, Parameter Param)> parameters, OptimConfig optim, long? optimizerStep = null)
    {
        var optimizer = new AdamW(parameters, optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        if (ResumeFrom is not null) TrainingCheckpoint.LoadOptimizer(ResumeFrom, optimizer, optimizerStep ?? StartStep);
        return optimizer;
    }

    /// <summary>Tells the observer the run starts (and from which checkpoint).</summary>
    public void Started()
    {
        if (ResumeFrom is not null) observer.Note($"resuming from {ResumeFrom} at step {StartStep}");
        observer.Started(Kind, StartStep, TotalSteps);
    }

    /// <summary>
    /// After step <paramref name="done"/> (1-based) has run: the metrics line every <paramref name="logEvery"/> steps and
    /// at the end, then <paramref name="evaluate"/> (a periodic eval adds to <paramref name="metrics"/>), a checkpoint
    /// every <paramref name="checkpointEvery"/> steps (never at the end: the model is saved then), and progress.json.
    /// </summary>
    public void Stepped(long done, IReadOnlyDictionary<string, double> metrics, int logEvery, int checkpointEvery, Func<string> saveCheckpoint,
        Action? evaluate = null)
    {
        if (done % logEvery == 0 || done == TotalSteps) Metrics.Write("train", metrics, done);
        evaluate?.Invoke();
        if (checkpointEvery > 0 && done % checkpointEvery == 0 && done < TotalSteps)
            LastCheckpoint = storage.CheckpointSaved(saveCheckpoint(), done, KeepCheckpoints, ct);
        progress.Report(done, metrics, LastCheckpoint);
    }

    /// <summary>Saves a checkpoint of <paramref name="saveModel"/>'s model, the optimizer and <paramref name="state"/> under the run's checkpoints (local; <see cref="Stepped"/> publishes it).</summary>
    public string SaveCheckpoint(Action<string> saveModel, AdamW optimizer, TrainingState state) =>
        TrainingCheckpoint.Save(Paths.Checkpoints, saveModel, optimizer, state with { Kind = Kind }, KeepCheckpoints);

    /// <summary>progress.json now, with <paramref name="metrics"/> at <paramref name="step"/> (e.g. before the first step).</summary>
    public void Report(long step, IReadOnlyDictionary<string, double> metrics) => progress.Report(step, metrics, LastCheckpoint, force: true);

    /// <summary>Writes the trained model, publishes it (manifest last), then the final progress.json with done.</summary>
    public void Finish(Action<string> saveModel, IReadOnlyDictionary<string, double> metrics)
    {
        saveModel(Paths.Output);
        storage.ModelSaved(TotalSteps, ct);
        progress.Report(TotalSteps, metrics, LastCheckpoint, done: true);
    }

    public void Dispose() => metrics?.Dispose();
}
