using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

/// <summary>Tokens per second of one way of sampling over the measured repeats: wall clock (best and median) and per
/// second of process CPU time (median; steadier than wall time on a shared machine).</summary>
public sealed record RolloutTiming(IReadOnlyList<double> TokensPerSecond, IReadOnlyList<double> TokensPerCpuSecond)
{
    public double Best => TokensPerSecond.Max();
    public double Median => MedianOf(TokensPerSecond);
    public double MedianPerCpuSecond => MedianOf(TokensPerCpuSecond);

    internal static double MedianOf(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

/// <param name="Grouped">GRPO's <see cref="RolloutSampler"/>: each prompt prefilled once, all samples decoded together.</param>
/// <param name="Unshared">the current decoder with every prompt repeated G times (each copy prefilled on its own).</param>
/// <param name="Baseline">the decoder before group sampling (<see cref="BaselineDecoder"/>), prompts repeated as it was called.</param>
/// <param name="MedianSpeedup">median over the repeats of grouped ÷ baseline tokens/s, each pair timed back to back.</param>
/// <param name="MatmulBoundTokensPerSecond">the measured matmul peak divided by 2·N FLOPs per token: what arithmetic alone allows.</param>
public sealed record RolloutResult(int Prompts, int SamplesPerPrompt, int NewTokens, long Parameters, double PromptTokens,
    RolloutTiming Grouped, RolloutTiming Unshared, RolloutTiming Baseline, double MedianSpeedup, double MatmulBoundTokensPerSecond)
{
    public double FractionOfBound => Grouped.Best / MatmulBoundTokensPerSecond;
}

/// <summary>
/// GRPO rollouts as the trainer runs them: a fresh default-shaped small model, 2-digit multiplication prompts,
/// temperature 0.7, every stop disabled so each completion is exactly the budget. The three ways of sampling take
/// turns within each repeat, so a shared machine's load falls on all of them alike.
/// </summary>
public static class RolloutSpeed
{
    public static RolloutResult Measure(ModelInit shape, int prompts, int samplesPerPrompt, int newTokens, int repeats, double matmulPeakGflops)
    {
        using var policy = PretrainedModel.Create(shape, BuiltInTokenizer.Create(), seed: 1);
        var problems = ProblemSet.Load(new DataConfig { Task = "multiplication", Digits = 2, Count = prompts });
        var sampling = new SamplingConfig { Temperature = 0.7, MaxNewTokens = newTokens };
        var never = new StopCriteria(new HashSet<int>(), [], ids => policy.Decode(ids));
        var generator = new Generator().manual_seed(1);
        var repeated = problems.SelectMany(p => Enumerable.Repeat(policy.PromptIds(p), samplesPerPrompt)).ToList();
        var baseline = new BaselineDecoder(policy.Model);
        Func<long>[] ways =
        [
            () => RolloutSampler.Sample(policy, problems, samplesPerPrompt, sampling, generator, never).Sum(r => (long)r.GeneratedTokens),
            () => Sampler.Generate(policy.Model, repeated, sampling, never, generator, policy.Tokenizer.PadId).Sum(c => (long)c.Tokens.Length),
            () => baseline.Generate(repeated, sampling, generator, policy.Tokenizer.PadId).Sum(t => (long)t.Length),
        ];
        var wall = ways.Select(_ => new List<double>()).ToArray();
        var cpu = ways.Select(_ => new List<double>()).ToArray();
        foreach (var way in ways) way();
        for (int i = 0; i < repeats; i++)
            for (int w = 0; w < ways.Length; w++)
            {
                var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                long tokens = ways[w]();
                wall[w].Add(tokens / clock.Elapsed.TotalSeconds);
                cpu[w].Add(tokens / (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds);
            }
        var timings = Enumerable.Range(0, ways.Length).Select(w => new RolloutTiming(wall[w], cpu[w])).ToArray();
        double speedup = RolloutTiming.MedianOf(Enumerable.Range(0, repeats).Select(i => wall[0][i] / wall[2][i]));
        double bound = matmulPeakGflops * 1e9 / ModelFlops.DecodingPerToken(policy.Model.Config);
        return new RolloutResult(prompts, samplesPerPrompt, newTokens, policy.Model.ParameterCount(), problems.Average(p => policy.PromptIds(p).Count),
            timings[0], timings[1], timings[2], speedup, bound);
    }
}
