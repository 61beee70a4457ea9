using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Sampling;

/// <summary>
/// Batched generation with a KV cache. Prompts of different lengths are left-padded; positions
/// and the attention mask skip the padding, so each row decodes as if it were alone.
/// </summary>
public static class Sampler
{
    public static List<Completion> Generate(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingConfig sampling,
        StopCriteria stop, Generator generator, int padId, bool useCache = true)
    {
        if (prompts.Count == 0) return [];
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token", nameof(prompts));
        using var noGrad = no_grad();
        using var outer = NewDisposeScope();
        bool wasTraining = model.training;
        model.eval();
        try
        {
            return useCache ? WithCache(model, prompts, sampling, stop, generator, padId) : Recomputing(model, prompts, sampling, stop, generator, padId);
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    static List<Completion> WithCache(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingConfig sampling,
        StopCriteria stop, Generator generator, int padId)
    {
        int batch = prompts.Count, promptLen = prompts.Max(p => p.Count), budget = sampling.MaxNewTokens;
        var state = new DecodeState(batch, budget);
        using var cache = new KvCache(model.Config, batch, promptLen + budget);
        var (ids, mask) = LeftPad(prompts, promptLen, padId);
        var keyMask = mask.DetachFromDisposeScope();
        var lastPos = (mask.sum(1) - 1).DetachFromDisposeScope();
        using (var scope = NewDisposeScope())
        {
            var positions = (mask.cumsum(1) - 1).clamp_min(0);
            var logits = model.Forward(ids, positions, keyMask, cache, lastOnly: true).squeeze(1);
            state.Next = TokenPicker.Pick(logits, sampling, generator).MoveToOuterDisposeScope();
        }
        for (int t = 0; t < budget; t++)
        {
            using var scope = NewDisposeScope();
            if (state.Accept(stop, t == budget - 1)) break;
            var next = state.Next!.unsqueeze(1);
            var grownMask = cat([keyMask, ones(batch, 1, dtype: keyMask.dtype)], 1);
            keyMask.Dispose();
            keyMask = grownMask.DetachFromDisposeScope();
            var newLast = (lastPos + 1).DetachFromDisposeScope();
            lastPos.Dispose();
            lastPos = newLast;
            var logits = model.Forward(next, lastPos.unsqueeze(1), keyMask, cache, lastOnly: true).squeeze(1);
            var picked = TokenPicker.Pick(logits, sampling, generator);
            state.Next!.Dispose();
            state.Next = picked.DetachFromDisposeScope();
        }
        keyMask.Dispose();
        lastPos.Dispose();
        state.Next?.Dispose();
        return state.Results();
    }

    /// <summary>The reference path without a cache: recompute the whole prefix each step (for tests and the KV-cache benchmark).</summary>
    static List<Completion> Recomputing(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingConfig sampling,
        StopCriteria stop, Generator generator, int padId)
    {
        int batch = prompts.Count, promptLen = prompts.Max(p => p.Count), budget = sampling.MaxNewTokens;
        var state = new DecodeState(batch, budget);
        var (ids0, mask0) = LeftPad(prompts, promptLen, padId);
        var ids = ids0.DetachFromDisposeScope();
        var mask = mask0.DetachFromDisposeScope();
        for (int t = 0; t <= budget; t++)
        {
            using var scope = NewDisposeScope();
            if (t > 0 && state.Accept(stop, t == budget)) break;
            if (t > 0)
            {
                var grownIds = cat([ids, state.Next!.unsqueeze(1)], 1).DetachFromDisposeScope();
                var grownMask = cat([mask, ones(batch, 1, dtype: mask.dtype)], 1).DetachFromDisposeScope();
                ids.Dispose(); mask.Dispose();
                ids = grownIds; mask = grownMask;
            }
            var positions = (mask.cumsum(1) - 1).clamp_min(0);
            var logits = model.Forward(ids, positions, mask, null, lastOnly: true).squeeze(1);
            var picked = TokenPicker.Pick(logits, sampling, generator);
            state.Next?.Dispose();
            state.Next = picked.DetachFromDisposeScope();
        }
        ids.Dispose(); mask.Dispose(); state.Next?.Dispose();
        return state.Results();
    }

    static (Tensor Ids, Tensor Mask) LeftPad(IReadOnlyList<IReadOnlyList<int>> prompts, int length, int padId)
    {
        var ids = new long[prompts.Count * length];
        var mask = new long[prompts.Count * length];
        for (int b = 0; b < prompts.Count; b++)
        {
            int offset = length - prompts[b].Count;
            for (int i = 0; i < length; i++)
            {
                bool real = i >= offset;
                ids[b * length + i] = real ? prompts[b][i - offset] : padId;
                mask[b * length + i] = real ? 1 : 0;
            }
        }
        return (tensor(ids, [prompts.Count, length]), tensor(mask, [prompts.Count, length]));
    }

    /// <summary>Per-row bookkeeping: tokens so far, which rows are done and why.</summary>
    sealed class DecodeState(int batch, int budget)
    {
        readonly List<int>[] tokens = Enumerable.Range(0, batch).Select(_ => new List<int>(budget)).ToArray();
        readonly bool[] done = new bool[batch], eos = new bool[batch], truncated = new bool[batch];

        public Tensor? Next { get; set; }

        /// <summary>Appends <see cref="Next"/> to the rows still running; true when every row is done.</summary>
        public bool Accept(StopCriteria stop, bool lastStep)
        {
            var next = Next!.data<long>().ToArray();
            bool allDone = true;
            for (int b = 0; b < batch; b++)
            {
                if (done[b]) continue;
                int token = (int)next[b];
                if (stop.IsEos(token)) { done[b] = eos[b] = true; continue; }
                tokens[b].Add(token);
                if (stop.EndsWithStopString(tokens[b])) done[b] = true;
                else if (lastStep) done[b] = truncated[b] = true;
                else allDone = false;
            }
            return allDone;
        }

        public List<Completion> Results() =>
            Enumerable.Range(0, batch).Select(b => new Completion(tokens[b].ToArray(), truncated[b] || !done[b], eos[b])).ToList();
    }
}
