namespace Lineage.Contracts.Config;

/// <summary>
/// `lineage-trainer distill`: the teacher spends test-time compute (a <see cref="TestTimeConfig.Strategies"/> strategy)
/// on the prompts, the traces pass a filter, and the student is fine-tuned on the kept ones (prompt-masked loss).
/// With <see cref="Demonstrations"/> instead of a teacher, the traces are the dataset's worked solutions: plain SFT,
/// which is how a lineage makes generation 0 from nothing.
/// </summary>
public sealed record DistillConfig : IValidated
{
    public static readonly string[] Filters = ["verified", "judgeScore", "consistency", "none"];

    /// <summary>Teacher model (directory or store URI); leave empty when <see cref="Demonstrations"/> is set.</summary>
    public string? Teacher { get; init; }
    /// <summary>Worked solutions used as the traces (plain SFT, no teacher): a built-in task or a JSONL with reasoning.</summary>
    public DataConfig? Demonstrations { get; init; }
    /// <summary>Student initialisation (directory or store URI). Default: the teacher; with demonstrations and no
    /// student, a fresh model shaped by <see cref="Init"/>.</summary>
    public string? Student { get; init; }
    /// <summary>Shape of a fresh student (demonstrations without a student).</summary>
    public ModelInit Init { get; init; } = new();
    /// <summary>Where the student's model directory goes (path or store URI). Required.</summary>
    public string Output { get; init; } = "";
    /// <summary>Training-state directory; default Output + "-state".</summary>
    public string? State { get; init; }
    /// <summary>The teacher's test-time compute: strategy, samples, rounds, ranker and sampling.</summary>
    public TestTimeConfig TestTime { get; init; } = new() { Strategy = "selfConsistency", Samples = 8, Sampling = new() { Temperature = 0.8, MaxNewTokens = 256 } };
    /// <summary>Prompts the teacher answers (training split). Default 2-digit multiplication.</summary>
    public DataConfig Prompts { get; init; } = new() { Task = "multiplication", Digits = 2, Count = 4000 };
    /// <summary>verified (answer checked against the reference), judgeScore (ranker judge's score ≥ minJudgeScore),
    /// consistency (the majority answer, kept when its vote share ≥ consistencyThreshold; no labels needed) or none.</summary>
    public string Filter { get; init; } = "verified";
    public double MinJudgeScore { get; init; } = 0.7;
    public double ConsistencyThreshold { get; init; } = 0.5;
    /// <summary>Kept traces per prompt at most (the verified filter may keep several distinct correct ones). Default 1.</summary>
    public int MaxTracesPerPrompt { get; init; } = 1;
    /// <summary>Held-out problems on which the teacher (greedy and with the strategy) and the student (greedy) are
    /// scored, for the internalisation figure. Default: the prompts' task, test split, <see cref="EvalProblems"/> problems.</summary>
    public DataConfig? Eval { get; init; }
    /// <summary>Held-out problems scored (0 = no teacher/student scoring). Default 200.</summary>
    public int EvalProblems { get; init; } = 200;
    public int SftSteps { get; init; } = 300;
    public int BatchSize { get; init; } = 32;
    public int MaxSeqLen { get; init; } = 256;
    public OptimConfig Optim { get; init; } = new() { LearningRate = 3e-4 };
    public int CheckpointEvery { get; init; } = 100;
    /// <summary>Training checkpoints kept (older ones deleted). Default 3.</summary>
    public int KeepCheckpoints { get; init; } = 3;
    public int LogEvery { get; init; } = 10;
    /// <summary>Seeds sampling and the data order. Default 1.</summary>
    public long Seed { get; init; } = 1;
    /// <summary>Resume from the latest checkpoint and the stored traces when present. Default true.</summary>
    public bool Resume { get; init; } = true;

    /// <summary>
    /// For the built-in small models (hidden 256, 4 layers) distilling their own test-time compute on 2-digit
    /// multiplication, from docs/benchmarks/distill.md: rejection sampling (8 samples per prompt at temperature 0.8,
    /// the verifier keeps one correct trace per prompt), completions of ~40 tokens under a 96-token budget, and a gentle
    /// SFT of the teacher on its own correct traces. Scored on all 813 held-out problems.
    /// </summary>
    public static DistillConfig ForSmallModels(string teacher, string output) => new()
    {
        Teacher = teacher,
        Output = output,
        TestTime = new TestTimeConfig { Strategy = "selfConsistency", Samples = 8, Sampling = new SamplingConfig { Temperature = 0.8, MaxNewTokens = 96 } },
        Prompts = new DataConfig { Task = "multiplication", Digits = 2, Count = 2000 },
        Filter = "verified",
        MaxTracesPerPrompt = 1,
        EvalProblems = 813,
        SftSteps = 300,
        BatchSize = 32,
        MaxSeqLen = 128,
        Optim = new OptimConfig { LearningRate = 1e-4, WarmupSteps = 10, MinLearningRateRatio = 0.1, WeightDecay = 0 },
        CheckpointEvery = 100,
    };

    /// <summary>auto, cpu, cuda or cuda:N (<see cref="DeviceSetting"/>); unset = the LINEAGE_DEVICE variable, else auto.</summary>
    public string? Device { get; init; }

    public void Validate(Validation v, string path)
    {
        DeviceSetting.Validate(v, Device, $"{path}device");
        bool demonstrations = Demonstrations is not null;
        v.Require(string.IsNullOrEmpty(Teacher) == demonstrations, $"{path}teacher", "set exactly one of teacher or demonstrations");
        Demonstrations?.Validate(v, $"{path}demonstrations.");
        if (demonstrations && string.IsNullOrEmpty(Student)) Init.Validate(v, $"{path}init.");
        v.NotEmpty(Output, $"{path}output");
        TestTime.Validate(v, $"{path}testTime.");
        if (!demonstrations) Prompts.Validate(v, $"{path}prompts.");
        v.OneOf(Filter, Filters, $"{path}filter");
        v.Require(Filter != "judgeScore" || TestTime.Ranker?.Name == "judge", $"{path}filter", "judgeScore needs testTime.ranker with name judge");
        v.Require(Filter != "consistency" || TestTime.Samples > 1, $"{path}filter", "consistency needs testTime.samples > 1 (one sample has no majority)");
        v.InRange(MinJudgeScore, 0, 1, $"{path}minJudgeScore");
        v.InRange(ConsistencyThreshold, 0, 1, $"{path}consistencyThreshold");
        v.InRange(MaxTracesPerPrompt, 1, 1024, $"{path}maxTracesPerPrompt");
        Eval?.Validate(v, $"{path}eval.");
        v.NonNegative(EvalProblems, $"{path}evalProblems");
        v.Positive(SftSteps, $"{path}sftSteps");
        v.Positive(BatchSize, $"{path}batchSize");
        v.InRange(MaxSeqLen, 8, 131072, $"{path}maxSeqLen");
        Optim.Validate(v, $"{path}optim.");
        v.NonNegative(CheckpointEvery, $"{path}checkpointEvery");
        v.Positive(KeepCheckpoints, $"{path}keepCheckpoints");
        v.Positive(LogEvery, $"{path}logEvery");
    }
}
