using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.TestTime;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Grpo;

/// <summary>What a judge's fine-tuning saw and did.</summary>
/// <param name="Judgments">Rows trained on (policy samples with their verifier-backed critique and score).</param>
/// <param name="RightShare">Share of those samples the verifier found right.</param>
public sealed record JudgeTrainingReport(int Judgments, double RightShare, double FirstLoss, double LastLoss);

/// <summary>
/// Teaches a judge to judge the policy's own mistakes (the published judges were trained on synthetic flaws and pick
/// worse than random on real samples, docs/benchmarks/rlaif.md): the policy samples on training prompts, the verifier
/// labels each sample, and the judge is fine-tuned in place for a few SFT steps to write the critique and score that
/// <see cref="SyntheticJudgments.Row"/> gives a sample with known correctness.
/// </summary>
public static class JudgeTraining
{
    public static JudgeTrainingReport Run(PretrainedModel policy, PretrainedModel judge, IReadOnlyList<string> principles, int maxScore,
        JudgeTrainConfig config, IReadOnlyList<Problem> train, SamplingConfig sampling, long seed, CancellationToken ct = default)
    {
        if (train.Count == 0) throw new ArgumentException("judge training needs training prompts", nameof(train));
        var prompts = new DataOrder(train.Count, seed).Take(train, 0, Math.Min(config.Prompts, train.Count));
        List<List<Candidate>> candidates;
        using (var sampler = new CandidateSampler(batchSize: 64, seed))
            candidates = sampler.Sample(policy, prompts.Select(policy.PromptIds).ToList(), config.Samples, sampling, ct);
        var rows = prompts.SelectMany((p, i) => candidates[i].Select((c, j) => SyntheticJudgments.Row(p, c.Text, principles, maxScore, $"judge-{p.Id}-{j}"))).ToList();
        double right = prompts.Select((p, i) => candidates[i].Count(c => c.Answer is not null && Rewards.AnswerVerifier.IsCorrectAnswer(p, c.Answer))).Sum()
            / (double)rows.Count;

        int maxSeqLen = Math.Min(config.MaxSeqLen, judge.Model.Config.MaxPositionEmbeddings);
        // A judgment cut before its critique teaches nothing (and has no loss tokens).
        var examples = rows.Select(judge.Example).Where(e => e.Prompt.Length + 2 <= maxSeqLen).ToList();
        if (examples.Count == 0)
            throw new ConfigError($"judgeCheck.train.maxSeqLen: every judge prompt is longer than {maxSeqLen} tokens (the judge's context is {judge.Model.Config.MaxPositionEmbeddings})");
        var optim = config.Optim;
        using var optimizer = new AdamW(judge.Model.named_parameters(), optim.Beta1, optim.Beta2, optim.Epsilon, optim.WeightDecay);
        var loop = new TrainingLoop(optimizer, optim, config.Steps);
        var order = new DataOrder(examples.Count, seed);
        double first = double.NaN, last = double.NaN;
        judge.Model.train();
        for (long step = 0; step < config.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            using var batch = SftBatch.Padded(order.Take(examples, step * config.BatchSize, config.BatchSize), maxSeqLen, judge.Tokenizer.PadId, judge.Model.Device);
            var metrics = loop.Step(step, [batch], b => SftObjective.Evaluate(judge.Model, b));
            if (step == 0) first = metrics.Loss;
            last = metrics.Loss;
        }
        judge.Model.eval();
        return new JudgeTrainingReport(rows.Count, right, first, last);
    }
}
