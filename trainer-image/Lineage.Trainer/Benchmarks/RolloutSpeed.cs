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
/// <param name="MatmulBoundTokensPerSecond">the measured matmul peak divided by 2·N FLOPs per token: what arithmetic alone allows.</param>
public sealed record RolloutResult(int Prompts, int SamplesPerPrompt, int NewTokens, long Parameters, double PromptTokens,
    double TokensPerSecond, IReadOnlyList<double> RepeatTokensPerSecond, double TokensPerCpuSecond, double MatmulBoundTokensPerSecond)
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
        (double Wall, double Cpu) Run()
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var rollouts = RolloutSampler.Sample(policy, problems, samplesPerPrompt, sampling, generator, never);
            long tokens = rollouts.Sum(r => (long)r.GeneratedTokens);
            return (tokens / clock.Elapsed.TotalSeconds, tokens / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }
        Run();
        var rates = Enumerable.Range(0, repeats).Select(_ => Run()).ToList();
        long parameters = policy.Model.ParameterCount();
        double bound = matmulPeakGflops * 1e9 / ModelFlops.DecodingPerToken(policy.Model.Config);
        return new RolloutResult(prompts, samplesPerPrompt, newTokens, parameters, problems.Average(p => policy.PromptIds(p).Count),
            rates.Max(r => r.Wall), rates.Select(r => r.Wall).ToList(), rates.Max(r => r.Cpu), bound);
    }
}
