using Lineage.Contracts.Config;
using Lineage.Trainer.Devices;
using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Runs;

/// <summary>One row of the demo's before/after table.</summary>
public sealed record DemoStage(string Name, string Model, double Accuracy, double FormatRate, double MeanCompletionTokens, double Seconds);

public sealed record DemoOutcome(IReadOnlyList<DemoStage> Stages, IReadOnlyList<double> RewardCurve);

/// <summary>
/// The built-in loop end to end on CPU: make tasks, SFT a fresh small model, evaluate, improve it
/// with reinforcement learning from verifier rewards, evaluate again.
/// </summary>
public sealed class DemoPipeline(DemoOptions options, IRunObserver observer)
{
    public DemoOutcome Run(CancellationToken ct = default)
    {
        Directory.CreateDirectory(options.WorkDirectory);
        var stages = new List<DemoStage>();
        var test = new DataConfig { Task = options.Task, Digits = options.Digits, Split = "test", Count = options.EvalProblems, Seed = (int)options.Seed };
        ProblemSet.WriteJsonl(Path.Combine(options.WorkDirectory, "train.jsonl"), ProblemSet.Load(test with { Split = "train", Count = 1000 }));
        ProblemSet.WriteJsonl(Path.Combine(options.WorkDirectory, "test.jsonl"), ProblemSet.Load(test));
        observer.Note($"tasks: {options.Task} ({options.Digits} digits), samples in {options.WorkDirectory}/train.jsonl and test.jsonl");

        string sftModel = Path.Combine(options.WorkDirectory, "gen-0", "model");
        var sft = new SftConfig
        {
            Output = sftModel,
            Init = options.Model,
            // Self-refine demonstrations (when asked) are twice as long as the direct rows: packed, and a longer row.
            Train = test with { Split = "train", Count = 20000, RefineShare = options.RefineShare },
            Steps = options.SftSteps,
            BatchSize = 32,
            MaxSeqLen = options.RefineShare > 0 ? 192 : 128,
            Packing = options.RefineShare > 0,
            Optim = new OptimConfig { LearningRate = 1e-3, WarmupSteps = 20 },
            Seed = options.Seed,
            Resume = false,
            Device = options.Device,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        new SftRun(sft, observer).Run(ct);
        stages.Add(Evaluate("sft", sftModel, test, clock.Elapsed.TotalSeconds));
        if (options.GrpoSteps == 0) return new DemoOutcome(stages, []);

        string grpoModel = Path.Combine(options.WorkDirectory, "gen-1", "model");
        var grpo = GrpoConfig.ForSmallModels(sftModel, grpoModel) with
        {
            Data = test with { Split = "train", Count = 20000 },
            Steps = options.GrpoSteps,
            CheckpointEvery = 0,
            Seed = options.Seed,
            Resume = false,
            Device = options.Device,
        };
        clock.Restart();
        var outcome = new GrpoRun(grpo, observer).Run(ct);
        stages.Add(Evaluate("grpo", grpoModel, test, clock.Elapsed.TotalSeconds));
        return new DemoOutcome(stages, outcome.RewardCurve);
    }

    DemoStage Evaluate(string name, string modelDir, DataConfig test, double seconds)
    {
        using var model = PretrainedModel.Load(modelDir, ComputeDevice.Resolve(options.Device));
        var run = Evaluator.Greedy(model, ProblemSet.Load(test), maxNewTokens: 96);
        observer.Evaluated(0, run);
        return new DemoStage(name, modelDir, run.Summary.Accuracy, run.Summary.FormatRate, run.MeanCompletionTokens, seconds);
    }
}

/// <summary>
/// Demo knobs. The defaults take about 7 minutes on 2 cores and show the loop working: 600 SFT steps give an
/// imperfect generation 0 (67 % on the 200 test problems), 200 GRPO steps raise it (76 %); docs/benchmarks/grpo.md.
/// </summary>
public sealed record DemoOptions
{
    public string WorkDirectory { get; init; } = Path.Combine(".lineage", "demo");
    public string Task { get; init; } = "multiplication";
    public int Digits { get; init; } = 2;
    public ModelInit Model { get; init; } = new();
    public int SftSteps { get; init; } = 600;
    /// <summary>GRPO steps on the SFT model (0 = stop after SFT).</summary>
    public int GrpoSteps { get; init; } = 200;
    public int EvalProblems { get; init; } = 200;
    /// <summary>
    /// Share of generation 0's SFT rows that are self-refine demonstrations (<see cref="DataConfig.RefineShare"/>), so the
    /// model can use the selfRefine strategy. Default 0: at 0.2 the same 600 steps leave generation 0 at 42.5 % instead of
    /// 67 % (docs/benchmarks/distill.md), too high a price for the demo.
    /// </summary>
    public double RefineShare { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>auto, cpu, cuda or cuda:N for every stage (null: LINEAGE_DEVICE, else auto).</summary>
    public string? Device { get; init; }
}
