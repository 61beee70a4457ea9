using Lineage.Trainer.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Sampling;

/// <summary>
/// The rows being decoded against one preallocated KV cache: each distinct prompt is prefilled once and its cache rows
/// are copied to its n samples; the additive key mask and the next rotary positions are allocated for prompt + budget
/// up front, so a step only narrows views and feeds one token per row. Rows whose sequence ended can be dropped.
/// </summary>
sealed class DecodeBatch : IDisposable
{
    readonly CausalLM model;
    readonly KvCache cache;
    Tensor mask;      // [rows, 1, 1, capacity]: 0 where a row may attend, −∞ on its left padding
    Tensor position;  // [rows, 1]: the rotary position of the token fed next

    /// <summary>Which sequence each row of the batch decodes (rows leave when <see cref="Keep"/> drops them).</summary>
    public int[] Sequences { get; private set; }

    public long Rows => Sequences.Length;

    DecodeBatch(CausalLM model, KvCache cache, Tensor mask, Tensor position)
    {
        (this.model, this.cache, this.mask, this.position) = (model, cache, mask, position);
        Sequences = Enumerable.Range(0, (int)cache.Rows).ToArray();
    }

    /// <summary>Prefills every prompt once and returns the batch of prompts × samples (prompt by prompt) with its
    /// first-token logits [rows, V].</summary>
    public static (DecodeBatch Batch, Tensor Logits) Start(CausalLM model, PromptBatch prompts, int samplesPerPrompt, int budget)
    {
        long distinct = prompts.Ids.shape[0], rows = distinct * samplesPerPrompt, capacity = prompts.Width + budget;
        var cache = new KvCache(model.Config, rows, capacity, prompts.Ids.device);
        Tensor logits;
        if (samplesPerPrompt == 1)
            logits = model.Forward(prompts.Ids, prompts.Positions(), prompts.KeyMask, cache, lastOnly: true).squeeze(1);
        else
        {
            using var promptCache = new KvCache(model.Config, distinct, prompts.Width, prompts.Ids.device);
            logits = model.Forward(prompts.Ids, prompts.Positions(), prompts.KeyMask, promptCache, lastOnly: true).squeeze(1)
                .repeat_interleave(samplesPerPrompt, dim: 0);
            cache.ExpandRowsFrom(promptCache, samplesPerPrompt);
        }
        var allowed = ones(rows, 1, 1, capacity, dtype: ScalarType.Bool, device: prompts.Ids.device);
        allowed.narrow(3, 0, prompts.Width).copy_(prompts.KeyMask.to_type(ScalarType.Bool).repeat_interleave(samplesPerPrompt, dim: 0).view(rows, 1, 1, prompts.Width));
        var mask = zeros(allowed.shape, dtype: ScalarType.Float32, device: allowed.device).masked_fill_(allowed.logical_not(), double.NegativeInfinity);
        var position = tensor(prompts.Lengths, [distinct, 1], device: prompts.Ids.device).repeat_interleave(samplesPerPrompt, dim: 0);
        return (new DecodeBatch(model, cache, mask.DetachFromDisposeScope(), position.DetachFromDisposeScope()), logits);
    }

    /// <summary>Feeds one token per row [rows] and returns the next-token logits [rows, V].</summary>
    public Tensor Step(Tensor tokens)
    {
        var visible = mask.narrow(3, 0, cache.Length + 1);
        var logits = model.Forward(tokens.unsqueeze(1), position, visible, cache, lastOnly: true).squeeze(1);
        position.add_(1);
        return logits;
    }

    /// <summary>Keeps the rows at <paramref name="rows"/> (batch positions, ascending) and drops the others.</summary>
    public void Keep(IReadOnlyList<int> rows)
    {
        var index = tensor(rows.Select(r => (long)r).ToArray(), device: position.device);
        cache.KeepRows(index);
        mask = Replace(mask, mask.index_select(0, index));
        position = Replace(position, position.index_select(0, index));
        Sequences = rows.Select(r => Sequences[r]).ToArray();
    }

    static Tensor Replace(Tensor old, Tensor kept)
    {
        old.Dispose();
        return kept.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        cache.Dispose();
        mask.Dispose();
        position.Dispose();
    }
}
