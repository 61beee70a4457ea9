using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Distillation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tests.Runs;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Distillation;

public sealed class DistillRunTests
{
    /// <summary>Self-consistency over 4 samples on 24 one-digit additions, the verifier keeps correct traces, 6 SFT steps.</summary>
    internal static DistillConfig Verified(string teacher, string output, int steps = 6, int checkpointEvery = 0) => new()
    {
        Teacher = teacher,
        Output = output,
        TestTime = new TestTimeConfig { Strategy = "selfConsistency", Samples = 4, Sampling = new SamplingConfig { Temperature = 0.5, MaxNewTokens = 24 } },
        Prompts = TinyTeacher.Addition with { Count = 24 },
        Filter = "verified",
        MaxTracesPerPrompt = 2,
        EvalProblems = 8,
        SftSteps = steps,
        BatchSize = 8,
        MaxSeqLen = 64,
        Optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 1 },
        CheckpointEvery = checkpointEvery,
        LogEvery = 1,
        Seed = 5,
    };

    [Fact]
    public void A_verified_distillation_publishes_checked_traces_then_a_student_scored_against_its_teacher()
    {
        using var dir = new TemporaryDirectory();
        var outcome = new DistillRun(Verified(TinyTeacher.Model, dir.File("gen-2/model")), SilentObserver.Instance).Run();

        var traces = TraceFile.Read(dir.File("gen-2/datasets/traces.jsonl"));
        Assert.True(File.Exists(dir.File("gen-2/datasets/manifest.json")));
        Assert.NotEmpty(traces);
        Assert.All(traces, t =>
        {
            Assert.True(t.Verified);
            Assert.Equal(t.Reference, t.Answer);
            Assert.Equal((TinyTeacher.Model, "selfConsistency", "verified", 4), (t.Teacher, t.Strategy, t.Filter, t.Samples));
            Assert.InRange(t.VoteShare, 0.25, 1);
        });
        Assert.True(traces.GroupBy(t => t.Prompt).All(g => g.Count() <= 2 && g.Select(t => t.Reasoning + t.Answer).Distinct().Count() == g.Count()));

        var summary = outcome.Traces;
        Assert.Equal(24 * 4, summary.TracesGenerated);
        Assert.Equal(traces.Count, summary.TracesKept);
        Assert.True(summary.TeacherAccuracyWithStrategy >= summary.TeacherAccuracy, "pass@4 of the teacher's samples is what the verifier can reach");
        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("gen-2/progress.json")), "progress.json");
        Assert.Equal(("distill", 6L, true), (progress.Kind, progress.Step, progress.Done));
        Assert.Equal(summary.TracesGenerated, progress.Metrics["tracesGenerated"]);
        Assert.Equal(summary.TracesKept, progress.Metrics["tracesKept"]);
        Assert.Equal(summary.TeacherAccuracy, progress.Metrics["teacherAccuracy"]);
        Assert.Equal(summary.TeacherAccuracyWithStrategy, progress.Metrics["teacherAccuracyWithStrategy"]);
        Assert.Equal(outcome.StudentAccuracy, progress.Metrics["studentAccuracy"]);
        Assert.True(progress.Metrics["loss"] > 0);
        var expected = Internalisation.Of(outcome.StudentAccuracy!.Value, summary.TeacherAccuracy!.Value, summary.TeacherAccuracyWithStrategy!.Value);
        Assert.Equal(expected, outcome.Internalisation);
        Assert.Equal(expected is not null, progress.Metrics.ContainsKey("internalisation"));
        Assert.True(File.Exists(dir.File("gen-2/model/manifest.json")));
        using var student = PretrainedModel.Load(dir.File("gen-2/model"));

        // Run again with another filter into the same output: the published traces are not silently reused.
        var changed = Assert.Throws<ConfigError>(() => new DistillRun(Verified(TinyTeacher.Model, dir.File("gen-2/model")) with { Filter = "none" }, SilentObserver.Instance).Run());
        Assert.Contains("filter verified", changed.Message);
        Assert.Contains("resume: false", changed.Message);
    }

    [Fact]
    public void A_killed_distillation_resumes_without_its_teacher_and_ends_with_the_weights_of_an_uninterrupted_run()
    {
        using var dir = new TemporaryDirectory();
        new DistillRun(Verified(TinyTeacher.Model, dir.File("straight/model")), SilentObserver.Instance).Run();

        string teacher = TinyTeacher.CopyTo(dir.File("teacher"));
        var interrupted = Verified(teacher, dir.File("resumed/model"), checkpointEvery: 3);
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new DistillRun(interrupted, new CancelAtStep(cts, 4)).Run(cts.Token));
        Assert.False(Directory.Exists(dir.File("resumed/model")));
        Assert.Equal([3L], TrainingCheckpoint.List(dir.File("resumed/checkpoints")).Select(c => c.Step));

        // The traces are published and the student has a checkpoint: the teacher is not needed again.
        Directory.Delete(teacher, recursive: true);
        var outcome = new DistillRun(interrupted, SilentObserver.Instance).Run();
        Assert.True(outcome.TracesReused);
        Assert.Equal(3, outcome.Steps);
        Assert.Equal(TraceFile.Read(dir.File("straight/datasets/traces.jsonl")).Select(t => t with { Teacher = "" }),
            TraceFile.Read(dir.File("resumed/datasets/traces.jsonl")).Select(t => t with { Teacher = "" }));

        var a = SafetensorsReader.Load(dir.File("straight/model/model.safetensors"));
        var b = SafetensorsReader.Load(dir.File("resumed/model/model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);
        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("resumed/progress.json")), "progress.json");
        Assert.Equal(outcome.Traces.TeacherAccuracy, progress.Metrics["teacherAccuracy"]);
    }

    [Fact]
    public void Distilling_demonstrations_trains_a_fresh_student_exactly_as_sft_does()
    {
        using var dir = new TemporaryDirectory();
        var data = new DataConfig { Task = "addition", Digits = 2, Count = 200 };
        var optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 2 };
        new SftRun(new SftConfig { Output = dir.File("sft/model"), Init = TinyTeacher.Shape, Train = data, Optim = optim, Steps = 5, BatchSize = 8, MaxSeqLen = 64, Seed = 7 },
            SilentObserver.Instance).Run();
        var outcome = new DistillRun(new DistillConfig
        {
            Demonstrations = data, Init = TinyTeacher.Shape, Output = dir.File("gen-0/model"), EvalProblems = 4,
            SftSteps = 5, BatchSize = 8, MaxSeqLen = 64, Optim = optim, Seed = 7,
        }, SilentObserver.Instance).Run();

        var a = SafetensorsReader.Load(dir.File("sft/model/model.safetensors"));
        var b = SafetensorsReader.Load(dir.File("gen-0/model/model.safetensors"));
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);
        Assert.Equal((200L, 200L), (outcome.Traces.TracesGenerated, outcome.Traces.TracesKept));
        Assert.Null(outcome.Traces.TeacherAccuracy);
        Assert.NotNull(outcome.StudentAccuracy);
        Assert.Null(outcome.Internalisation);
        Assert.Equal("demonstrations", TraceFile.Read(dir.File("gen-0/datasets/traces.jsonl"))[0].Teacher);
    }

    [Fact]
    public void A_filter_that_keeps_nothing_fails_the_run_naming_the_filter_and_counts_and_publishes_nothing()
    {
        using var dir = new TemporaryDirectory();
        using (var untrained = PretrainedModel.Create(TinyTeacher.Shape, BuiltInTokenizer.Create(), seed: 9)) untrained.Save(dir.File("untrained"));

        var error = Assert.Throws<EmptyTraceSet>(() => new DistillRun(Verified(dir.File("untrained"), dir.File("gen-2/model")) with { EvalProblems = 0 },
            SilentObserver.Instance).Run());

        Assert.Contains("filter verified kept 0 of 96 traces", error.Message);
        Assert.Contains("24 prompts", error.Message);
        Assert.False(Directory.Exists(dir.File("gen-2/model")));
        Assert.False(File.Exists(dir.File("gen-2/datasets/manifest.json")));
        Assert.False(Directory.Exists(dir.File("gen-2/checkpoints")));
    }

    [Fact]
    public void An_unparsable_judge_verdict_rejects_the_trace_even_at_a_minimum_score_of_zero()
    {
        using var dir = new TemporaryDirectory();
        // An untrained judge writes no score block: every verdict is unparsable (reward 0, which a minimum of 0 would admit).
        using (var judge = PretrainedModel.Create(TinyTeacher.Shape, BuiltInTokenizer.Create(), seed: 4)) judge.Save(dir.File("judge"));
        var config = Verified(TinyTeacher.Model, dir.File("gen-2/model")) with
        {
            TestTime = new TestTimeConfig
            {
                Strategy = "bestOfN", Samples = 2, Sampling = new SamplingConfig { Temperature = 0.5, MaxNewTokens = 24 },
                Ranker = new RewardSpec { Name = "judge", Model = dir.File("judge"), Principles = ["the answer is correct"], Sampling = new SamplingConfig { Temperature = 0, MaxNewTokens = 8 } },
            },
            Prompts = TinyTeacher.Addition with { Count = 8 },
            Filter = "judgeScore",
            MinJudgeScore = 0,
            EvalProblems = 0,
        };

        var error = Assert.Throws<EmptyTraceSet>(() => new DistillRun(config, SilentObserver.Instance).Run());
        Assert.Contains("filter judgeScore kept 0 of 16 traces", error.Message);
    }

    [Theory]
    [InlineData("teacher: m\ndemonstrations: {task: addition}\noutput: o", "teacher: set exactly one of teacher or demonstrations")]
    [InlineData("output: o", "teacher: set exactly one of teacher or demonstrations")]
    [InlineData("teacher: m\noutput: o\nfilter: judgeScore", "filter: judgeScore needs testTime.ranker with name judge")]
    [InlineData("teacher: m\noutput: o\nfilter: consistency\ntestTime: {samples: 1}", "filter: consistency needs testTime.samples > 1")]
    [InlineData("teacher: m\noutput: o\nfilter: majority", "filter: must be one of")]
    [InlineData("teacher: m\noutput: o\ntestTime: {strategy: bestOfN}", "testTime.ranker: is required for bestOfN")]
    public void A_bad_config_is_an_error_naming_the_field(string yaml, string message)
    {
        var error = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<DistillConfig>(yaml, "distill.yaml"));
        Assert.Contains(message, error.Message);
    }
}
