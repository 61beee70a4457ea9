using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

public sealed record MemoryResult(long Steps, long ResidentAfterWarmup, long ResidentAtEnd, long PeakResident)
{
    public double DriftPercent => 100.0 * (ResidentAtEnd - ResidentAfterWarmup) / ResidentAfterWarmup;
}

/// <summary>RSS over many real SFT steps on fresh batches: a tensor leak shows up as steady growth.</summary>
public static class MemoryStability
{
    public static MemoryResult Measure(ModelConfig config, long steps, int batch, int seqLen, Action<long, long>? onSample = null, Device? device = null)
    {
        manual_seed(0);
        using var model = new CausalLM(config, device);
        var optim = new OptimConfig { LearningRate = 1e-4, WarmupSteps = 0 };
        using var adam = new AdamW(model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        var loop = new TrainingLoop(adam, optim, steps);
        var random = new Random(1);
        long warm = 0;
        // Allocator pools settle over the first couple of hundred steps; drift is measured after that.
        long warmupSteps = Math.Max(1, steps / 5);
        for (long step = 0; step < steps; step++)
        {
            var examples = Enumerable.Range(0, batch)
                .Select(_ => new SftExample([random.Next(1, config.VocabSize)], Enumerable.Range(0, random.Next(seqLen / 2, seqLen)).Select(_ => random.Next(1, config.VocabSize)).ToArray()))
                .ToList();
            using var data = SftBatch.Padded(examples, seqLen + 1, 0, device);
            loop.Step(step, [data], b => SftObjective.Evaluate(model, b));
            if (step + 1 == warmupSteps) { GC.Collect(); warm = ProcessMemory.ResidentBytes(); }
            if ((step + 1) % 100 == 0) onSample?.Invoke(step + 1, ProcessMemory.ResidentBytes());
        }
        GC.Collect();
        return new MemoryResult(steps, warm, ProcessMemory.ResidentBytes(), ProcessMemory.PeakResidentBytes());
    }
}
