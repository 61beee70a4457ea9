using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Sampling;

/// <summary>
/// Batched generation with a preallocated KV cache. Prompts of different lengths are left-padded; positions and the
/// attention mask skip the padding, so each row decodes as if it were alone. Several samples of one prompt share its
/// prefill, and every row of every prompt is decoded in one loop.
/// </summary>
public static class Sampler
{
    /// <summary>One completion per prompt, in prompt order.</summary>
    /// <param name="useCache">false: the reference path that recomputes the whole prefix each step (tests, benchmark).</param>
    public static List<Completion> Generate(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingConfig sampling,
        StopCriteria stop, Generator generator, int padId, bool useCache = true)
    {
        if (useCache) return GenerateGroups(model, prompts, 1, sampling, stop, generator, padId);
        if (prompts.Count == 0) return [];
        return Decoding(model, () => Recomputing(model, PromptBatch.LeftPad(prompts, padId, model.Device), sampling, stop, generator));
    }

    /// <summary>
    /// <paramref name="samplesPerPrompt"/> completions of each prompt, laid out prompt by prompt (prompt p's samples at
    /// p·n … p·n + n − 1). Each prompt is prefilled once; its samples differ only by what the sampler draws.
    /// </summary>
    public static List<Completion> GenerateGroups(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, int samplesPerPrompt,
        SamplingConfig sampling, StopCriteria stop, Generator generator, int padId)
    {
        if (samplesPerPrompt < 1) throw new ArgumentOutOfRangeException(nameof(samplesPerPrompt), samplesPerPrompt, "must be at least 1");
        if (prompts.Count == 0) return [];
        return Decoding(model, () => WithCache(model, PromptBatch.LeftPad(prompts, padId, model.Device), samplesPerPrompt, sampling, stop, generator));
    }

    /// <summary>Eval mode, inference mode (no autograd, no version counting: a few percent of a step's dispatch cost;
    /// no tensor leaves the call, only token arrays), and every tensor of the call freed when it returns.</summary>
    static List<Completion> Decoding(CausalLM model, Func<List<Completion>> decode)
    {
        using var inference = inference_mode();
        using var scope = NewDisposeScope();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            return decode();
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    static List<Completion> WithCache(CausalLM model, PromptBatch prompts, int samplesPerPrompt, SamplingConfig sampling, StopCriteria stop, Generator generator)
    {
        int budget = sampling.MaxNewTokens;
        var state = new DecodeState(prompts.Lengths.Length * samplesPerPrompt, budget);
        var (batch, firstLogits) = DecodeBatch.Start(model, prompts, samplesPerPrompt, budget);
        using var _ = batch;
        var next = TokenPicker.Pick(firstLogits, sampling, generator).DetachFromDisposeScope();
        for (int t = 0; t < budget; t++)
        {
            using var scope = NewDisposeScope();
            var running = state.Accept(next.data<long>().ToArray(), batch.Sequences, stop, lastStep: t == budget - 1);
            if (running.Count == 0) break;
            var fed = next;
            // Finished rows leave once they are half the batch: the copy costs about one step and every later step shrinks.
            if (running.Count <= batch.Rows / 2)
            {
                batch.Keep(running);
                fed = next.index_select(0, tensor(running.Select(r => (long)r).ToArray(), device: next.device));
            }
            var picked = TokenPicker.Pick(batch.Step(fed), sampling, generator).DetachFromDisposeScope();
            next.Dispose();
            next = picked;
        }
        next.Dispose();
        return state.Results();
    }

    /// <summary>The reference path without a cache: recompute the whole prefix each step, growing ids and mask by one column.</summary>
    static List<Completion> Recomputing(CausalLM model, PromptBatch prompts, SamplingConfig sampling, StopCriteria stop, Generator generator)
    {
        int rows = prompts.Lengths.Length, budget = sampling.MaxNewTokens;
        var state = new DecodeState(rows, budget);
        var everyRow = Enumerable.Range(0, rows).ToArray();
        var ids = prompts.Ids;
        var mask = prompts.KeyMask;
        Tensor? next = null;
        for (int t = 0; t <= budget; t++)
        {
            using var scope = NewDisposeScope();
            if (t > 0)
            {
                if (state.Accept(next!.data<long>().ToArray(), everyRow, stop, lastStep: t == budget).Count == 0) break;
                var grownIds = cat([ids, next.unsqueeze(1)], 1).MoveToOuterDisposeScope();
                var grownMask = cat([mask, ones(rows, 1, dtype: mask.dtype, device: mask.device)], 1).MoveToOuterDisposeScope();
                ids.Dispose(); mask.Dispose(); next.Dispose();
                (ids, mask) = (grownIds, grownMask);
            }
            var positions = (mask.cumsum(1) - 1).clamp_min(0);
            var logits = model.Forward(ids, positions, mask, null, lastOnly: true).squeeze(1);
            next = TokenPicker.Pick(logits, sampling, generator).MoveToOuterDisposeScope();
        }
        return state.Results();
    }
}
