using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Tests.Grpo;

/// <summary>A fresh tiny policy on disk and a GRPO config small enough to run real steps in a second or two.</summary>
static class TinyGrpo
{
    public static readonly ModelInit Shape = new() { HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 64 };

    public static string Policy(TemporaryDirectory dir, long seed = 5)
    {
        string path = dir.File("policy");
        if (!Directory.Exists(path))
        {
            using var model = PretrainedModel.Create(Shape, BuiltInTokenizer.Create(), seed);
            model.Save(path);
        }
        return path;
    }

    /// <summary>Addition prompts; the reward is a regex a random policy hits about one time in seven: a leading digit.</summary>
    public static GrpoConfig Config(string policy, string output, int steps) => new()
    {
        Policy = policy,
        Output = output,
        Data = new DataConfig { Task = "addition", Digits = 2, Count = 64 },
        Rewards = [new RewardSpec { Name = "regex", Pattern = "^[0-9]" }],
        NumGenerations = 8,
        PromptsPerStep = 4,
        Steps = steps,
        Optim = new OptimConfig { LearningRate = 1e-2, WarmupSteps = 0, MinLearningRateRatio = 1.0, WeightDecay = 0 },
        Sampling = new SamplingConfig { Temperature = 1.0, MaxNewTokens = 3 },
        CheckpointEvery = 0,
        Seed = 11,
    };
}
