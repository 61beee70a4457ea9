using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using static TorchSharp.torch;

namespace Lineage.Trainer.Rewards;

/// <summary>
/// The generative judge, the RLAIF reward (after DeepSeek's GRM): a model reads its principles and a
/// candidate, writes a critique and then a score (<see cref="JudgeReply"/>); reward = score / maxScore,
/// averaged over <c>samples</c> judgments per candidate. All judgments of a batch go through the
/// KV-cache sampler together. A reply that does not parse scores 0 and is counted, never thrown.
/// </summary>
public sealed class JudgeReward : IRewardFunction, IReportsCounts, IDisposable
{
    readonly PretrainedModel judge;
    readonly IReadOnlyList<string> principles;
    readonly int samples, maxScore, batchSize;
    readonly SamplingConfig sampling;
    readonly StopCriteria stop;
    readonly Generator generator;
    readonly bool ownsJudge;
    long judged, unparsable;

    public JudgeReward(PretrainedModel judge, IReadOnlyList<string> principles, int samples = 1, int maxScore = 10,
        SamplingConfig? sampling = null, int batchSize = 32, bool ownsJudge = false)
    {
        if (principles.Count == 0) throw new ArgumentException("the judge needs at least one principle", nameof(principles));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxScore);
        (this.judge, this.principles, this.samples, this.maxScore, this.batchSize, this.ownsJudge) = (judge, principles, samples, maxScore, batchSize, ownsJudge);
        this.sampling = sampling ?? DefaultSampling(samples);
        stop = judge.Stop(this.sampling);
        generator = new Generator(0, judge.Model.Device).manual_seed(this.sampling.Seed);
    }

    /// <summary>Greedy for one judgment; several judgments need diversity, so they sample at temperature 0.7.</summary>
    public static SamplingConfig DefaultSampling(int samples) => new()
    {
        Temperature = samples > 1 ? 0.7 : 0,
        MaxNewTokens = 128,
        Stop = [ThinkFormat.AnswerClose, "</score>"],
    };

    public string Name => "judge";

    /// <summary>The judge model (GRPO's judge check fine-tunes it in place).</summary>
    public PretrainedModel Model => judge;

    /// <summary>Judgments made so far.</summary>
    public long Judged => judged;
    /// <summary>Judgments whose reply did not parse (each scored 0).</summary>
    public long Unparsable => unparsable;

    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long> { ["judged"] = judged, ["unparsable"] = unparsable };

    /// <summary>The verdicts of the last batch, candidate-major (samples per candidate), for inspection.</summary>
    public IReadOnlyList<JudgeVerdict> LastVerdicts { get; private set; } = [];

    public ValueTask<double[]> ScoreAsync(IReadOnlyList<Problem> problems, IReadOnlyList<string> completions, IReadOnlyList<int> completionTokenCounts, CancellationToken ct)
    {
        RewardBatch.CheckShape(problems, completions, completionTokenCounts);
        var prompts = new List<IReadOnlyList<int>>(completions.Count * samples);
        for (int i = 0; i < completions.Count; i++)
        {
            var ids = judge.Format.PromptIds(judge.Tokenizer, JudgePrompt.Render(principles, problems[i].Prompt, completions[i], maxScore));
            for (int s = 0; s < samples; s++) prompts.Add(ids);
        }
        var verdicts = new List<JudgeVerdict>(prompts.Count);
        for (int start = 0; start < prompts.Count; start += batchSize)
        {
            ct.ThrowIfCancellationRequested();
            var chunk = prompts.GetRange(start, Math.Min(batchSize, prompts.Count - start));
            foreach (var reply in Sampler.Generate(judge.Model, chunk, sampling, stop, generator, judge.Tokenizer.PadId))
                verdicts.Add(JudgeReply.Parse(judge.Decode(reply.Tokens), maxScore));
        }
        var scores = new double[completions.Count];
        for (int i = 0; i < scores.Length; i++)
            scores[i] = verdicts.Skip(i * samples).Take(samples).Average(v => v.Reward);
        judged += verdicts.Count;
        unparsable += verdicts.Count(v => !v.Parsed);
        LastVerdicts = verdicts;
        return ValueTask.FromResult(scores);
    }

    public void Dispose()
    {
        generator.Dispose();
        if (ownsJudge) judge.Dispose();
    }
}
