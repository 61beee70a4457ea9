using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using static TorchSharp.torch;

namespace Lineage.Trainer.Evaluation;

/// <summary>What one evaluation saw: the score summary, every completion, and the mean completion length.</summary>
public sealed record EvalRun(EvalSummary Summary, IReadOnlyList<IReadOnlyList<string>> Completions, double MeanCompletionTokens, double TruncationRate);

/// <summary>Generates completions for held-out problems and scores them: greedy accuracy, format rate, maj@k, pass@k.</summary>
public static class Evaluator
{
    /// <summary>Greedy decoding, one completion per problem.</summary>
    public static EvalRun Greedy(PretrainedModel model, IReadOnlyList<Problem> problems, int maxNewTokens, int batchSize = 64) =>
        Run(model, problems, new SamplingConfig { Temperature = 0, MaxNewTokens = maxNewTokens }, samplesPerProblem: 1, k: 1, batchSize, seed: 0);

    /// <param name="samplesPerProblem">n completions per problem (k ≤ n for pass@k and maj@k), sampled as one group per
    /// problem that shares the problem's prompt prefill.</param>
    /// <param name="batchSize">completions decoded together (whole groups: at least one problem's n).</param>
    public static EvalRun Run(PretrainedModel model, IReadOnlyList<Problem> problems, SamplingConfig sampling, int samplesPerProblem, int k, int batchSize, long seed)
    {
        using var generator = new Generator(0, model.Model.Device).manual_seed(seed);
        var stop = model.Stop(sampling);
        var prompts = problems.Select(model.PromptIds).ToList();
        var texts = new List<string>(prompts.Count * samplesPerProblem);
        long tokens = 0, truncated = 0;
        int problemsPerBatch = Math.Max(1, batchSize / samplesPerProblem);
        for (int start = 0; start < prompts.Count; start += problemsPerBatch)
        {
            var chunk = prompts.GetRange(start, Math.Min(problemsPerBatch, prompts.Count - start));
            foreach (var c in Sampler.GenerateGroups(model.Model, chunk, samplesPerProblem, sampling, stop, generator, model.Tokenizer.PadId))
            {
                texts.Add(model.Decode(c.Tokens));
                tokens += c.Tokens.Length;
                if (c.Truncated) truncated++;
            }
        }
        var grouped = Enumerable.Range(0, problems.Count)
            .Select(p => (IReadOnlyList<string>)texts.GetRange(p * samplesPerProblem, samplesPerProblem)).ToList();
        var summary = EvalScore.Summarize(problems, grouped, k);
        return new EvalRun(summary, grouped, (double)tokens / Math.Max(1, texts.Count), (double)truncated / Math.Max(1, texts.Count));
    }
}
