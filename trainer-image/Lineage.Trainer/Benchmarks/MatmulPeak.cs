using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

/// <summary>The machine's measured fp32 matmul rate: the denominator of model-FLOPs utilisation.</summary>
public static class MatmulPeak
{
    /// <returns>Best GFLOP/s over square sizes, each timed over enough repeats to last ~0.3 s.</returns>
    /// <param name="device">Where to multiply (null: TorchSharp's default device); CUDA work is waited for before the clock is read.</param>
    public static (double GigaFlops, int Size) Measure(int[]? sizes = null, Device? device = null)
    {
        double best = 0;
        int bestSize = 0;
        foreach (int n in sizes ?? [256, 512, 1024])
        {
            using var scope = NewDisposeScope();
            var a = randn(n, n, device: device);
            var b = randn(n, n, device: device);
            matmul(a, b).Dispose();
            Synchronize(device);
            int repeats = 1;
            double seconds;
            while (true)
            {
                var clock = Stopwatch.StartNew();
                for (int i = 0; i < repeats; i++) matmul(a, b).Dispose();
                Synchronize(device);
                seconds = clock.Elapsed.TotalSeconds;
                if (seconds > 0.3) break;
                repeats *= 2;
            }
            double gflops = 2.0 * n * n * n * repeats / seconds / 1e9;
            if (gflops > best) (best, bestSize) = (gflops, n);
        }
        return (best, bestSize);
    }

    /// <summary>CUDA kernels run asynchronously: without this the clock would time their launch, not their work.</summary>
    static void Synchronize(Device? device)
    {
        if (device?.type == DeviceType.CUDA) cuda.synchronize(device);
    }
}
