using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Devices;
using Lineage.Trainer.Distillation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;
using Lineage.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Lineage.Trainer.Runs;

/// <param name="Traces">What the teacher produced (read back from the store when the traces were already published).</param>
/// <param name="TracesReused">The traces were already published and not generated again.</param>
/// <param name="StudentAccuracy">The student's greedy accuracy on the held-out problems (null without them).</param>
public sealed record DistillOutcome(string ModelDirectory, long Steps, double Seconds, TraceSummary Traces, bool TracesReused,
    double? StudentAccuracy, double? Internalisation, double TrainSeconds);

/// <summary>
/// `distill`: the teacher spends test-time compute (<see cref="TestTimeConfig"/>) on the prompts, its candidates pass the
/// trace filter, the kept traces are published as <c>datasets/traces.jsonl</c> (with <c>summary.json</c>, manifest last),
/// and the student is fine-tuned on them with the loss on the completion only. With demonstrations instead of a
/// teacher, the traces are the dataset's worked solutions (plain SFT, the same training as `sft`). Held-out problems
/// score the teacher (greedy and with the strategy) before and the student (greedy) after, for the internalisation figure.
/// A restarted run reuses published traces and resumes the fine-tuning from its latest checkpoint, exactly.
/// </summary>
public sealed class DistillRun(DistillConfig config, IRunObserver observer, TextWriter? metricsConsole = null,
    Func<RewardSpec, IRewardFunction>? modelRewards = null)
{
    /// <summary>Sequences decoded together by the teacher and in the held-out scoring.</summary>
    const int SamplingBatch = 64;
    /// <summary>Prompts per round of trace generation (progress is reported after each).</summary>
    const int PromptsPerRound = 64;

    public DistillOutcome Run(CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        ConfigLoader.Check(config, "distill config");
        var device = ComputeDevice.Resolve(config.Device);
        var storage = RunStorage.For(config.Output, config.State, "distill");
        var heldOut = HeldOutProblems(ct);
        using var session = TrainingSession.Open(storage, "distill", config.SftSteps, config.KeepCheckpoints, config.Resume, observer, metricsConsole, ct);

        string? published = config.Resume ? storage.PublishedDatasets(ct) : null;
        TraceSummary summary;
        IReadOnlyList<KeptTrace> traces;
        if (published is not null)
        {
            traces = TraceFile.Read(Path.Combine(published, TraceFile.FileName));
            summary = ContractJson.Deserialize<TraceSummary>(File.ReadAllText(Path.Combine(published, TraceSummary.FileName)), $"{storage.DatasetsLocation}/{TraceSummary.FileName}");
            RequireSameSource(summary, storage.DatasetsLocation);
            observer.Note($"using the {traces.Count} traces already published at {storage.DatasetsLocation}");
        }
        else
        {
            (traces, summary) = config.Demonstrations is null ? FromTeacher(session, heldOut, device, ct) : FromDemonstrations(heldOut, ct);
            Publish(storage, traces, summary, ct);
        }

        var trainClock = Stopwatch.StartNew();
        var constant = summary.Metrics();
        session.Report(session.StartStep, constant);
        using var student = Student(session, device, ct);
        var settings = new SupervisedSettings(config.SftSteps, config.BatchSize, config.MaxSeqLen, Packing: false, config.Optim, config.Seed,
            config.CheckpointEvery, config.LogEvery);
        var last = SupervisedTraining.Run(session, student, traces.Select(t => student.Example(t.AsProblem())).ToList(), settings, observer,
            constant: constant, ct: ct);
        double trainSeconds = trainClock.Elapsed.TotalSeconds;

        double? studentAccuracy = null, internalisation = null;
        if (heldOut is not null)
        {
            studentAccuracy = GreedyAccuracy(student, heldOut, ct);
            last["studentAccuracy"] = studentAccuracy.Value;
            if (summary.TeacherAccuracy is { } greedy && summary.TeacherAccuracyWithStrategy is { } withStrategy)
                internalisation = Internalisation.Of(studentAccuracy.Value, greedy, withStrategy);
            if (internalisation is { } value) last["internalisation"] = value;
            observer.Note($"student greedy accuracy {studentAccuracy:P1} on {heldOut.Count} held-out problems" +
                (summary.TeacherAccuracy is { } t ? $" (teacher greedy {t:P1}, with {summary.Strategy} {summary.TeacherAccuracyWithStrategy:P1}; internalisation {(internalisation is { } i ? i.ToString("F2") : "undefined")})" : ""));
        }
        session.Finish(student.Save, last);
        return new DistillOutcome(session.OutputLocation, config.SftSteps - session.StartStep, clock.Elapsed.TotalSeconds, summary,
            published is not null, studentAccuracy, internalisation, trainSeconds);
    }

    /// <summary>The teacher scores the held-out problems (greedy, then with the strategy), then spends the strategy on the prompts.</summary>
    (IReadOnlyList<KeptTrace>, TraceSummary) FromTeacher(TrainingSession session, IReadOnlyList<Problem>? heldOut, Device device, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var prompts = ProblemSet.Load(DataLocation.Materialize(config.Prompts, "prompts", ct));
        if (prompts.Count == 0) throw new ConfigError("prompts: no prompts for the teacher");
        using var teacher = PretrainedModel.Load(ModelLocation.Materialize(config.Teacher!, ct), device);
        using var strategy = TestTimeStrategies.Create(config.TestTime, SamplingBatch, config.Seed, "testTime", modelRewards, device);
        double? greedy = null, withStrategy = null;
        if (heldOut is not null)
        {
            observer.Note($"teacher: scoring {heldOut.Count} held-out problems (greedy" +
                config.TestTime.Strategy switch
                {
                    "greedy" => ")…",
                    "selfRefine" => $", then selfRefine, {config.TestTime.Rounds} rounds)…",
                    var other => $", then {other} over {config.TestTime.Samples} samples)…",
                });
            greedy = GreedyAccuracy(teacher, heldOut, ct);
            var report = config.TestTime.Strategy == "greedy" ? null : TestTimeRun.Of(strategy, teacher, heldOut, ct).Report;
            // With a verifier choosing among the candidates, what the strategy makes reachable is pass@N.
            withStrategy = report is null ? greedy : config.Filter == "verified" ? report.PassAtN : report.Accuracy;
            observer.Note($"teacher on {heldOut.Count} held-out problems: greedy {greedy:P1}, {config.TestTime.Strategy} {withStrategy:P1}" +
                (config.Filter == "verified" && report is not null ? $" (pass@{report.SamplesPerProblem:F0}; its own pick {report.Accuracy:P1})" : ""));
        }
        var filter = new TraceFilterSettings(config.Filter, config.MinJudgeScore, config.ConsistencyThreshold, config.MaxTracesPerPrompt);
        var judge = config.Filter == "judgeScore" && strategy is not BestOfNStrategy
            ? RewardFactory.Create(config.TestTime.Ranker!, "testTime.ranker", modelRewards, device) : null;
        using var judgeLifetime = judge as IDisposable;
        var teacherMetrics = new Dictionary<string, double>();
        if (greedy is { } g) teacherMetrics["teacherAccuracy"] = g;
        if (withStrategy is { } w) teacherMetrics["teacherAccuracyWithStrategy"] = w;
        var harvest = TraceHarvester.Collect(teacher, config.Teacher!, strategy, prompts, filter, judge, PromptsPerRound,
            (done, generated, kept) =>
            {
                session.Report(0, new Dictionary<string, double>(teacherMetrics) { ["tracesGenerated"] = generated, ["tracesKept"] = kept });
                observer.Note($"teacher: {done}/{prompts.Count} prompts, {generated} completions, {kept} traces kept");
            }, ct);
        if (harvest.Traces.Count == 0)
            throw new EmptyTraceSet($"filter {config.Filter} kept 0 of {harvest.Generated} traces the teacher wrote for {prompts.Count} prompts " +
                $"(strategy {config.TestTime.Strategy}: accuracy {harvest.Report.Accuracy:P1}, pass@N {harvest.Report.PassAtN:P1}, " +
                $"format {harvest.Report.FormatRate:P1}, mean share {harvest.Report.MeanShare:P2}); nothing was published or trained");
        return (harvest.Traces, new TraceSummary
        {
            Teacher = config.Teacher!, Strategy = config.TestTime.Strategy, Filter = config.Filter, Prompts = prompts.Count,
            TracesGenerated = harvest.Generated, TracesKept = harvest.Traces.Count, TeacherAccuracy = greedy, TeacherAccuracyWithStrategy = withStrategy,
            HeldOutProblems = heldOut?.Count ?? 0, PromptAccuracy = harvest.Report.Accuracy, SamplesPerPrompt = harvest.Report.SamplesPerProblem,
            TokensPerPrompt = harvest.Report.TokensPerProblem, Seconds = clock.Elapsed.TotalSeconds,
        });
    }

    /// <summary>The dataset's worked solutions are the traces (no teacher, no filter).</summary>
    (IReadOnlyList<KeptTrace>, TraceSummary) FromDemonstrations(IReadOnlyList<Problem>? heldOut, CancellationToken ct)
    {
        var problems = ProblemSet.Load(DataLocation.Materialize(config.Demonstrations!, "demonstrations", ct));
        if (problems.Count == 0) throw new EmptyTraceSet("demonstrations: the dataset has no rows; nothing was published or trained");
        var traces = problems.Select(p => new KeptTrace(p.Id, p.Task, p.Prompt, p.Reasoning ?? "", p.Answer, p.Answer, "demonstrations", "demonstrations", "none",
            VoteShare: 1, Score: null, Verified: true, Samples: 1)).ToList();
        return (traces, new TraceSummary
        {
            Teacher = "demonstrations", Strategy = "demonstrations", Filter = "none", Prompts = problems.Count,
            TracesGenerated = problems.Count, TracesKept = problems.Count, HeldOutProblems = heldOut?.Count ?? 0,
        });
    }

    /// <summary>Published traces are reused only for the same teacher, strategy and filter: a changed config must not train on stale traces.</summary>
    void RequireSameSource(TraceSummary summary, string where)
    {
        var (teacher, strategy, filter) = config.Demonstrations is null
            ? (config.Teacher!, config.TestTime.Strategy, config.Filter)
            : ("demonstrations", "demonstrations", "none");
        if ((summary.Teacher, summary.Strategy, summary.Filter) != (teacher, strategy, filter))
            throw new ConfigError($"{where}: the traces published there come from teacher {summary.Teacher}, strategy {summary.Strategy}, filter {summary.Filter}; " +
                $"this config asks for {teacher}, {strategy}, {filter}. Give a new output, or resume: false to replace them");
    }

    /// <summary>traces.jsonl and summary.json into a clean datasets folder, then published (manifest last).</summary>
    static void Publish(RunStorage storage, IReadOnlyList<KeptTrace> traces, TraceSummary summary, CancellationToken ct)
    {
        string folder = storage.Paths.Datasets;
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        TraceFile.Write(Path.Combine(folder, TraceFile.FileName), traces);
        File.WriteAllText(Path.Combine(folder, TraceSummary.FileName), ContractJson.Serialize(summary));
        storage.DatasetsSaved(ct);
    }

    /// <summary>The student: the resumed checkpoint, else the student, else the teacher, else (demonstrations) a fresh model shaped by init.</summary>
    PretrainedModel Student(TrainingSession session, Device device, CancellationToken ct) =>
        session.ResumeFrom is not null ? PretrainedModel.Load(session.ResumeFrom, device)
        : !string.IsNullOrEmpty(config.Student) ? PretrainedModel.Load(ModelLocation.Materialize(config.Student, ct), device)
        : !string.IsNullOrEmpty(config.Teacher) ? PretrainedModel.Load(ModelLocation.Materialize(config.Teacher, ct), device)
        : PretrainedModel.Create(config.Init, BuiltInTokenizer.Create(), config.Seed, device);

    /// <summary>Held-out problems: eval, else the test split of the prompts' (or demonstrations') built-in task; null when none or evalProblems is 0.</summary>
    IReadOnlyList<Problem>? HeldOutProblems(CancellationToken ct)
    {
        if (config.EvalProblems == 0) return null;
        var source = config.Demonstrations ?? config.Prompts;
        var data = config.Eval ?? (string.IsNullOrEmpty(source.Task) ? null : source with { Split = SplitAssignment.Test, Count = config.EvalProblems, RefineShare = 0 });
        return data is null ? null : ProblemSet.Load(DataLocation.Materialize(data, "eval", ct)).Take(config.EvalProblems).ToList();
    }

    double GreedyAccuracy(PretrainedModel model, IReadOnlyList<Problem> problems, CancellationToken ct)
    {
        using var greedy = new GreedyStrategy(config.TestTime.Sampling, SamplingBatch);
        return TestTimeRun.Of(greedy, model, problems, ct).Report.Accuracy;
    }
}
