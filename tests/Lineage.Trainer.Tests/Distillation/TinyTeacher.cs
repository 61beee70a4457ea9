using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Tests.Distillation;

/// <summary>
/// A tiny model SFT'd once per test process on 1-digit addition (with self-refine demonstrations): it writes the think
/// format and gets some answers right (about 20 % greedy, 30 % pass@4 at T = 0.5), which is what a teacher needs.
/// </summary>
static class TinyTeacher
{
    public static readonly ModelInit Shape = new()
    {
        HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128,
    };

    public static readonly DataConfig Addition = new() { Task = "addition", Digits = 1, Count = 500 };

    static readonly Lazy<string> Trained = new(Train, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The trained teacher's model directory (do not modify; <see cref="CopyTo"/> for a teacher a test may delete).</summary>
    public static string Model => Trained.Value;

    public static string CopyTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (var file in Directory.GetFiles(Model)) File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        return directory;
    }

    static string Train()
    {
        var root = Directory.CreateTempSubdirectory("lineage-tiny-teacher-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(root, recursive: true); } catch (IOException) { } };
        string model = Path.Combine(root, "model");
        new SftRun(new SftConfig
        {
            Output = model, Init = Shape, Train = Addition with { RefineShare = 0.3 },
            Optim = new OptimConfig { LearningRate = 1e-2, WarmupSteps = 5 }, Steps = 80, BatchSize = 16, MaxSeqLen = 96, Seed = 3, Resume = false,
        }, SilentObserver.Instance).Run();
        return model;
    }
}
