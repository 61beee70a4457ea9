using Lineage.Trainer.Model;
using Lineage.Trainer.Tests.Model;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Sampling;

public sealed class KvCacheTests
{
    static readonly ModelConfig Config = TinyModels.Config(layers: 2);

    static Tensor Steps(long rows, long steps, float offset) =>
        arange(rows * Config.KeyValueHeads * steps * Config.HeadSize, dtype: ScalarType.Float32).view(rows, Config.KeyValueHeads, steps, Config.HeadSize) + offset;

    [Fact]
    public void Appending_past_the_capacity_is_an_error_and_nothing_is_reallocated()
    {
        using var cache = new KvCache(Config, batch: 2, capacity: 5);
        for (int layer = 0; layer < 2; layer++) cache.Append(layer, Steps(2, 4, 0), Steps(2, 4, 0));
        cache.Advance(4);
        var error = Assert.Throws<InvalidOperationException>(() => cache.Append(0, Steps(2, 2, 0), Steps(2, 2, 0)));
        Assert.Contains("KV cache full: 4 + 2 > 5", error.Message);
        Assert.Equal(5, cache.Capacity);
    }

    [Fact]
    public void Expanding_rows_repeats_each_prompt_row_for_its_samples_and_keeps_the_rest_of_the_capacity()
    {
        using var prompts = new KvCache(Config, batch: 2, capacity: 3);
        var (k, v) = (Steps(2, 3, 0), Steps(2, 3, 1000));
        for (int layer = 0; layer < 2; layer++) prompts.Append(layer, k, v);
        prompts.Advance(3);

        using var samples = new KvCache(Config, batch: 6, capacity: 7);
        samples.ExpandRowsFrom(prompts, copiesPerRow: 3);
        Assert.Equal(3, samples.Length);
        var one = Steps(6, 1, -1);
        var (keys, values) = samples.Append(1, one, one);
        Assert.Equal([6L, Config.KeyValueHeads, 4, Config.HeadSize], keys.shape);
        for (int row = 0; row < 6; row++)
        {
            TensorAssert.Identical(k[row / 3], keys[row].narrow(1, 0, 3), $"keys of row {row}");
            TensorAssert.Identical(v[row / 3], values[row].narrow(1, 0, 3), $"values of row {row}");
            TensorAssert.Identical(one[row], keys[row].narrow(1, 3, 1), $"appended key of row {row}");
        }
    }

    [Fact]
    public void Keeping_rows_drops_the_others_and_appending_continues_where_it_was()
    {
        using var cache = new KvCache(Config, batch: 4, capacity: 6);
        var k = Steps(4, 2, 0);
        for (int layer = 0; layer < 2; layer++) cache.Append(layer, k, k);
        cache.Advance(2);
        cache.KeepRows(tensor(new long[] { 1, 3 }));
        Assert.Equal(2, cache.Rows);
        var next = Steps(2, 1, 500);
        var (keys, _) = cache.Append(0, next, next);
        TensorAssert.Identical(k[1], keys[0].narrow(1, 0, 2), "row 1 kept as the first row");
        TensorAssert.Identical(k[3], keys[1].narrow(1, 0, 2), "row 3 kept as the second row");
        TensorAssert.Identical(next, keys.narrow(2, 2, 1), "the new step");
    }
}
