using static TorchSharp.torch;

namespace Lineage.Trainer.Model;

/// <summary>
/// Preallocated keys and values per layer, [B, kvHeads, capacity, headDim]. Decoding writes each
/// step in place, so a step costs attention over the prefix instead of recomputing it.
/// </summary>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] keys, values;

    public long Length { get; private set; }
    public long Capacity { get; }

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

    public void Dispose()
    {
        foreach (var t in keys.Concat(values)) t.Dispose();
    }
}
