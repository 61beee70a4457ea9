using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>
/// Preallocated keys and values per layer, [rows, kvHeads, capacity, headDim]. Decoding writes each
/// step in place, so a step costs attention over the prefix instead of recomputing it; nothing is
/// ever concatenated, and a write past the capacity is an error rather than a reallocation.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] keys, values;

    public long Length { get; private set; }
    public long Capacity { get; }
    public long Rows => keys[0].shape[0];

    public KvCache(ModelConfig config, long batch, long capacity, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        Capacity = capacity;
        keys = new Tensor[config.NumHiddenLayers];
        values = new Tensor[config.NumHiddenLayers];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = zeros([batch, config.KeyValueHeads, capacity, config.HeadSize], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([batch, config.KeyValueHeads, capacity, config.HeadSize], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Writes this step's k/v after the cached prefix and returns the whole prefix including them.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor k, Tensor v)
    {
        long steps = k.shape[2];
        if (Length + steps > Capacity) throw new InvalidOperationException($"KV cache full: {Length} + {steps} > {Capacity}");
        using (no_grad())
        {
            keys[layer].narrow(2, Length, steps).copy_(k);
            values[layer].narrow(2, Length, steps).copy_(v);
        }
        return (keys[layer].narrow(2, 0, Length + steps), values[layer].narrow(2, 0, Length + steps));
    }

    /// <summary>Called once per forward, after every layer appended.</summary>
    public void Advance(long steps) => Length += steps;

    /// <summary>
    /// Fills this cache with <paramref name="source"/>'s prefix, each source row repeated <paramref name="copiesPerRow"/>
    /// times in a row (row r of the source becomes rows r·n … r·n + n − 1): a prompt prefilled once serves n samples.
    /// </summary>
    public void ExpandRowsFrom(KvCache source, int copiesPerRow)
    {
        if (Length != 0) throw new InvalidOperationException("ExpandRowsFrom needs an empty cache");
        if (source.Rows * copiesPerRow != Rows) throw new ArgumentException($"{source.Rows} rows x {copiesPerRow} copies != {Rows} rows", nameof(copiesPerRow));
        if (source.Length > Capacity) throw new InvalidOperationException($"KV cache full: {source.Length} > {Capacity}");
        using var noGrad = no_grad();
        for (int layer = 0; layer < keys.Length; layer++)
        {
            Expand(keys[layer], source.keys[layer], source.Length, copiesPerRow);
            Expand(values[layer], source.values[layer], source.Length, copiesPerRow);
        }
        Length = source.Length;
    }

    static void Expand(Tensor target, Tensor source, long length, int copies)
    {
        long rows = source.shape[0], heads = source.shape[1], capacity = target.shape[2], dim = source.shape[3];
        using var into = target.view(rows, copies, heads, capacity, dim).narrow(3, 0, length);
        using var from = source.narrow(2, 0, length).unsqueeze(1);
        into.copy_(from);
    }

    /// <summary>Keeps only the rows at <paramref name="rows"/> (an int64 index, in the order given): finished sequences leave the batch.</summary>
    public void KeepRows(Tensor rows)
    {
        using var noGrad = no_grad();
        for (int layer = 0; layer < keys.Length; layer++)
        {
            keys[layer] = Replace(keys[layer], keys[layer].index_select(0, rows));
            values[layer] = Replace(values[layer], values[layer].index_select(0, rows));
        }
    }

    static Tensor Replace(Tensor old, Tensor kept)
    {
        old.Dispose();
        return kept.DetachFromDisposeScope();
    }

    public void Dispose()
    {
        foreach (var t in keys.Concat(values)) t.Dispose();
    }
}
