using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Grpo;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tokenization;
using static TorchSharp.torch;

namespace Lineage.Trainer.Benchmarks;

/// <param name="TokensPerSecond">best of the measured repeats (wall clock).</param>
/// <param name="TokensPerCpuSecond">best of the repeats per second of process CPU time: steadier than wall time on a shared machine.</param>
/// <param name="UnsharedTokensPerSecond">the same rollouts with every prompt repeated G times (each copy prefilled on its
/// own, as before group sampling), best of the repeats: what sharing the prefill is worth.</param>
/// <param name="MatmulBoundTokensPerSecond">the measured matmul peak divided by 2·N FLOPs per token: what arithmetic alone allows.</param>
public sealed record RolloutResult(int Prompts, int SamplesPerPrompt, int NewTokens, long Parameters, double PromptTokens,
    double TokensPerSecond, IReadOnlyList<double> RepeatTokensPerSecond, double TokensPerCpuSecond, double UnsharedTokensPerSecond,
    double MatmulBoundTokensPerSecond)
{
    public double FractionOfBound => TokensPerSecond / MatmulBoundTokensPerSecond;
}

/// <summary>
/// GRPO rollouts as the trainer runs them (<see cref="RolloutSampler"/>): a fresh default-shaped small model, 2-digit
/// multiplication prompts, temperature 0.7, every stop disabled so each completion is exactly the budget.
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
        (double Wall, double Cpu) Run(bool shared)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            long tokens = shared
                ? RolloutSampler.Sample(policy, problems, samplesPerPrompt, sampling, generator, never).Sum(r => (long)r.GeneratedTokens)
                : Sampler.Generate(policy.Model, repeated, sampling, never, generator, policy.Tokenizer.PadId).Sum(c => (long)c.Tokens.Length);
            return (tokens / clock.Elapsed.TotalSeconds, tokens / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }
        Run(shared: true);
        // Alternate the two so that a shared machine's load falls on both alike.
        var rates = new List<(double Wall, double Cpu)>();
        var unshared = new List<(double Wall, double Cpu)>();
        for (int i = 0; i < repeats; i++)
        {
            rates.Add(Run(shared: true));
            unshared.Add(Run(shared: false));
        }
        long parameters = policy.Model.ParameterCount();
        double bound = matmulPeakGflops * 1e9 / ModelFlops.DecodingPerToken(policy.Model.Config);
        return new RolloutResult(prompts, samplesPerPrompt, newTokens, parameters, problems.Average(p => policy.PromptIds(p).Count),
            rates.Max(r => r.Wall), rates.Select(r => r.Wall).ToList(), rates.Max(r => r.Cpu), unshared.Max(r => r.Wall), bound);
    }
}
