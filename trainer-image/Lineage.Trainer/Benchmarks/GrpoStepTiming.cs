using Lineage.Contracts.Config;
using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

/// <param name="CompletionTokens">mean generated tokens per completion.</param>
public sealed record GrpoTiming(int Generations, int MaxNewTokens, double CompletionTokens, double RolloutSeconds, double UpdateSeconds,
    double RolloutCpuSeconds, double UpdateCpuSeconds);

/// <summary>
/// Real GRPO steps on a fresh default-shaped small model: every stop is disabled, so completions run to the
/// budget and the completion length is the knob. Reports rollout (sampling + scoring) and update seconds per step.
/// </summary>
public static class GrpoStepTiming
{
    public static GrpoTiming Measure(ModelInit shape, int generations, int maxNewTokens, int promptsPerStep, int steps, Device? device = null)
    {
        var results = Run(shape, generations, maxNewTokens, promptsPerStep, steps + 1, (_, _) => { }, fixedLength: true, device);
        var measured = results.Skip(1).ToList();
        return new GrpoTiming(generations, maxNewTokens, measured.Average(r => r.Metrics["completionLength"]),
            measured.Average(r => r.Metrics["rolloutSeconds"]), measured.Average(r => r.Metrics["updateSeconds"]),
            measured.Average(r => r.Metrics["rolloutCpuSeconds"]), measured.Average(r => r.Metrics["updateCpuSeconds"]));
    }

    /// <summary>Runs <paramref name="steps"/> GRPO steps; <paramref name="afterStep"/> sees each step's index and result.</summary>
    public static List<GrpoStepResult> Run(ModelInit shape, int generations, int maxNewTokens, int promptsPerStep, int steps, Action<long, GrpoStepResult> afterStep,
        bool fixedLength = false, Device? device = null)
    {
        using var policy = PretrainedModel.Create(shape, BuiltInTokenizer.Create(), seed: 1, device);
        var config = GrpoConfig.ForSmallModels("bench", "bench") with
        {
            NumGenerations = generations,
            PromptsPerStep = promptsPerStep,
            Steps = steps,
            // An untrained policy earns no reward: without this every group would be skipped and no update would run.
            DynamicSampling = false,
            Sampling = new SamplingConfig { Temperature = 1.0, MaxNewTokens = maxNewTokens },
        };
        var problems = ProblemSet.Load(new DataConfig { Task = "multiplication", Digits = 2, Count = 2000 });
        using var optimizer = new AdamW(policy.Model.named_parameters(), config.Optim.Beta1, config.Optim.Beta2, config.Optim.Epsilon, config.Optim.WeightDecay);
        var loop = new TrainingLoop(optimizer, config.Optim, steps);
        var reward = CompositeReward.FromSpecs(config.Rewards);
        var step = new GrpoStep(config, policy, null, reward, loop, new Generator(0, policy.Model.Device).manual_seed(1))
        {
            Stop = fixedLength ? new StopCriteria(new HashSet<int>(), [], ids => policy.Decode(ids)) : null,
        };
        var order = new DataOrder(problems.Count, 1);
        var results = new List<GrpoStepResult>(steps);
        for (long s = 0; s < steps; s++)
        {
            var result = step.Run(s, order.Take(problems, s * promptsPerStep, promptsPerStep));
            afterStep(s, result);
            results.Add(result);
        }
        return results;
    }
}
