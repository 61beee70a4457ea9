using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

public sealed record DecodeResult(double CachedTokensPerSecond, double RecomputeTokensPerSecond)
{
    public double Speedup => CachedTokensPerSecond / RecomputeTokensPerSecond;
}

/// <summary>Greedy generation of N new tokens with the KV cache versus recomputing the whole prefix each step.</summary>
public static class DecodeSpeed
{
    public static DecodeResult Measure(ModelConfig config, int batch, int promptLength, int newTokens, Device? device = null)
    {
        manual_seed(0);
        using var model = new CausalLM(config, device);
        var prompts = Enumerable.Range(0, batch)
            .Select(b => (IReadOnlyList<int>)Enumerable.Range(0, promptLength).Select(j => (b + j * 5) % (config.VocabSize - 1) + 1).ToArray())
            .ToList();
        var sampling = new SamplingConfig { Temperature = 0, MaxNewTokens = newTokens };
        var never = new StopCriteria(new HashSet<int>(), [], _ => "");
        double Run(bool cache)
        {
            var clock = Stopwatch.StartNew();
            var outputs = Sampler.Generate(model, prompts, sampling, never, new Generator(0, model.Device).manual_seed(1), padId: 0, useCache: cache);
            return outputs.Sum(o => o.Tokens.Length) / clock.Elapsed.TotalSeconds;
        }
        Run(true);
        return new DecodeResult(Run(true), Run(false));
    }
}
