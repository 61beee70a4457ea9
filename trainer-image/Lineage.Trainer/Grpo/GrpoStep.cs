using System.Diagnostics;
using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Objectives;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Grpo;

/// <summary>
/// One GRPO step: sample G completions per prompt, score them, group advantages, optionally drop zero-variance groups,
/// then μ optimizer updates on the same rollouts through the objective-agnostic <see cref="TrainingLoop"/>.
/// Every tensor of the step lives in one dispose scope.
/// </summary>
public sealed class GrpoStep(GrpoConfig config, PretrainedModel policy, CausalLM? reference, CompositeReward reward, TrainingLoop loop, Generator generator)
{
    readonly GrpoObjective objective = new(
        new GrpoLossOptions(config.Beta, config.Epsilon, config.EpsilonHigh, LossTypes.Parse(config.LossType), config.Sampling.MaxNewTokens),
        config.Sampling.Temperature);
    readonly RewardScaling scaling = RewardScalings.Parse(config.ScaleRewards);

    /// <summary>Overrides when a rollout ends (the step-time benchmark disables every stop so length is exactly the budget).</summary>
    public StopCriteria? Stop { get; init; }

    /// <summary>Optimizer updates applied so far (AdamW's step; fewer than steps × μ when dynamic sampling skipped some).</summary>
    public long OptimizerSteps { get; set; }

    public GrpoStepResult Run(long step, IReadOnlyList<Problem> prompts, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;
        using var scope = NewDisposeScope();
        var rollouts = RolloutSampler.Sample(policy, prompts, config.NumGenerations, config.Sampling, generator, Stop);
        var scores = reward.ScoreTermsAsync(rollouts.Select(r => r.Problem).ToList(), rollouts.Select(r => r.Text).ToList(),
            rollouts.Select(r => r.GeneratedTokens).ToList(), ct).AsTask().GetAwaiter().GetResult();
        var advantages = GroupAdvantages.Compute(tensor(scores.Total.Select(v => (float)v).ToArray(), device: policy.Model.Device), config.NumGenerations, scaling);
        double rolloutSeconds = clock.Elapsed.TotalSeconds;
        var cpuAfterRollout = Process.GetCurrentProcess().TotalProcessorTime;
        ct.ThrowIfCancellationRequested();

        var metrics = RolloutStats.Of(rollouts, scores);
        foreach (var (key, count) in reward.Counts()) metrics[key] = count;
        metrics["zeroVarianceGroups"] = advantages.ZeroVarianceFraction;
        var kept = config.DynamicSampling ? advantages.InformativeSequences() : Enumerable.Range(0, rollouts.Count).Select(i => (long)i).ToArray();
        metrics["skippedGroups"] = config.DynamicSampling ? advantages.ZeroVarianceGroupCount : 0;

        var update = Stopwatch.StartNew();
        var perRollout = advantages.Advantages.data<float>().ToArray();
        var batches = MicroBatches(kept.Select(i => rollouts[(int)i]).ToList(), kept.Select(i => perRollout[i]).ToList());
        var iterations = new List<StepMetrics>();
        if (batches.Count > 0)
        {
            PrepareLogProbs(batches);
            double dapoCount = Math.Max(1, batches.Sum(b => b.LossTokens)) / (double)batches.Count;
            for (int iteration = 0; iteration < config.NumIterations; iteration++)
            {
                iterations.Add(loop.Step(step * config.NumIterations + iteration, batches, b => objective.Evaluate(policy.Model, b, dapoCount)));
                OptimizerSteps++;
            }
        }
        double updateSeconds = update.Elapsed.TotalSeconds;
        long generated = rollouts.Sum(r => (long)r.GeneratedTokens);
        long trained = batches.Sum(b => b.Tokens) * iterations.Count;
        double seconds = clock.Elapsed.TotalSeconds;

        double lr = LearningRateSchedule.At(step * config.NumIterations, (long)config.Steps * config.NumIterations, config.Optim);
        double loss = iterations.Count > 0 ? iterations.Average(i => i.Loss) : 0;
        double gradNorm = iterations.Count > 0 ? iterations.Average(i => i.GradNorm) : 0;
        foreach (var key in iterations.SelectMany(i => i.Extra.Keys).Distinct())
            metrics[key] = iterations.Average(i => i.Extra.GetValueOrDefault(key));
        metrics["loss"] = loss;
        metrics["gradNorm"] = gradNorm;
        metrics["lr"] = iterations.Count > 0 ? iterations[0].LearningRate : lr;
        metrics["rolloutSeconds"] = rolloutSeconds;
        metrics["updateSeconds"] = updateSeconds;
        // CPU seconds of the whole process: on a shared machine they say what the step costs when wall time cannot.
        metrics["rolloutCpuSeconds"] = (cpuAfterRollout - cpuAtStart).TotalSeconds;
        metrics["updateCpuSeconds"] = (Process.GetCurrentProcess().TotalProcessorTime - cpuAfterRollout).TotalSeconds;
        metrics["seconds"] = seconds;
        metrics["rolloutTokensPerSecond"] = rolloutSeconds > 0 ? generated / rolloutSeconds : 0;
        metrics["updateTokensPerSecond"] = updateSeconds > 0 ? trained / updateSeconds : 0;
        metrics["tokensPerSecond"] = seconds > 0 ? generated / seconds : 0;
        foreach (var b in batches) b.Dispose();
        var summary = new StepMetrics(step, loss, metrics["lr"], gradNorm, generated, seconds, metrics);
        return new GrpoStepResult(metrics, summary, iterations.Count > 0);
    }

    /// <summary>Contiguous chunks, one per gradient-accumulation micro-batch.</summary>
    List<RolloutBatch> MicroBatches(IReadOnlyList<Rollout> rollouts, IReadOnlyList<float> advantages)
    {
        var batches = new List<RolloutBatch>();
        if (rollouts.Count == 0) return batches;
        int chunks = Math.Min(config.Optim.GradientAccumulation, rollouts.Count);
        int size = (rollouts.Count + chunks - 1) / chunks;
        for (int start = 0; start < rollouts.Count; start += size)
        {
            int n = Math.Min(size, rollouts.Count - start);
            batches.Add(RolloutBatch.Build(rollouts.Skip(start).Take(n).ToList(), advantages.Skip(start).Take(n).ToList(), config.MaskTruncated, policy.Tokenizer.PadId, policy.Model.Device));
        }
        return batches;
    }

    /// <summary>π_old when μ &gt; 1 (with μ = 1 the loss detaches the current log-probs instead), π_ref when β &gt; 0.</summary>
    void PrepareLogProbs(List<RolloutBatch> batches)
    {
        if (config.NumIterations <= 1 && (config.Beta == 0 || reference is null)) return;
        using var noGrad = no_grad();
        foreach (var b in batches)
        {
            if (config.NumIterations > 1) b.OldLogp = objective.LogProbs(policy.Model, b);
            if (config.Beta != 0 && reference is not null) b.RefLogp = objective.LogProbs(reference, b);
        }
    }
}
