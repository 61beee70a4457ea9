using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

public sealed record ThroughputResult(double TokensPerSecond, double ModelGigaFlops, double Mfu, long Parameters);

/// <summary>Full SFT steps (forward, backward, clip, AdamW) on random tokens; MFU against the measured matmul peak.</summary>
public static class TrainingThroughput
{
    public static ThroughputResult Measure(ModelConfig config, int batch, int seqLen, int steps, double peakGigaFlops, Device? device = null)
    {
        manual_seed(0);
        using var model = new CausalLM(config, device);
        var optim = new OptimConfig { LearningRate = 1e-4, WarmupSteps = 0 };
        using var adam = new AdamW(model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        var loop = new TrainingLoop(adam, optim, steps + 3);
        var examples = Enumerable.Range(0, batch)
            .Select(i => new SftExample([1], Enumerable.Range(0, seqLen).Select(j => (i * 31 + j * 7) % (config.VocabSize - 1) + 1).ToArray()))
            .ToList();
        using var data = SftBatch.Padded(examples, seqLen + 1, 0, device);
        for (int i = 0; i < 3; i++) loop.Step(i, [data], b => SftObjective.Evaluate(model, b));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) loop.Step(3 + i, [data], b => SftObjective.Evaluate(model, b));
        double seconds = clock.Elapsed.TotalSeconds;
        double tokensPerSecond = (double)batch * seqLen * steps / seconds;
        double gflops = tokensPerSecond * ModelFlops.TrainingPerToken(config, seqLen) / 1e9;
        return new ThroughputResult(tokensPerSecond, gflops, gflops / peakGigaFlops, model.ParameterCount());
    }
}
