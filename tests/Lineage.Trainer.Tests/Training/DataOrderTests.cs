using Lineage.Trainer.Training;

namespace Lineage.Trainer.Tests.Training;

public sealed class DataOrderTests
{
    [Fact]
    public void The_order_is_a_fixed_function_of_seed_and_position_in_every_process()
    {
        // Pinned: a per-process randomised hash (HashCode.Combine) would give another order after a restart,
        // and a resumed run would silently train on different batches.
        var order = new DataOrder(8, seed: 3);
        Assert.Equal(new[] { 0, 3, 6, 5, 4, 1, 2, 7, 7, 0, 5, 4, 3, 6, 2, 1 }, Enumerable.Range(0, 16).Select(i => order[i]).ToArray());
    }

    [Fact]
    public void Every_epoch_is_a_permutation_and_epochs_differ()
    {
        var order = new DataOrder(50, seed: 1);
        var first = Enumerable.Range(0, 50).Select(i => order[i]).ToArray();
        var second = Enumerable.Range(50, 50).Select(i => order[i]).ToArray();
        Assert.Equal(Enumerable.Range(0, 50), first.Order());
        Assert.Equal(Enumerable.Range(0, 50), second.Order());
        Assert.NotEqual(first, second);
    }
}
