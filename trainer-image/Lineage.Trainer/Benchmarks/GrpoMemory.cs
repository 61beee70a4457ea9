using Lineage.Contracts.Config;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

/// <summary>RSS over many real GRPO steps (sampling, scoring, update): a leak in any of them shows as steady growth.</summary>
public static class GrpoMemory
{
    public static MemoryResult Measure(ModelInit shape, long steps, int generations, int maxNewTokens, int promptsPerStep, Action<long, long>? onSample = null,
        Device? device = null)
    {
        long warm = 0;
        // The allocator settles over the first steps; drift is measured from the end of the first fifth.
        long warmupSteps = Math.Max(1, steps / 5);
        GrpoStepTiming.Run(shape, generations, maxNewTokens, promptsPerStep, (int)steps, (s, _) =>
        {
            if (s + 1 == warmupSteps) { GC.Collect(); warm = ProcessMemory.ResidentBytes(); }
            if ((s + 1) % 50 == 0) onSample?.Invoke(s + 1, ProcessMemory.ResidentBytes());
        }, device: device);
        GC.Collect();
        return new MemoryResult(steps, warm, ProcessMemory.ResidentBytes(), ProcessMemory.PeakResidentBytes());
    }
}
