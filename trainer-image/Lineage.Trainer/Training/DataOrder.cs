namespace Lineage.Trainer.Training;

/// <summary>
/// Which example sits at a global sample position: a fresh seeded shuffle per epoch. A pure function of
/// (seed, count, position), so resuming at a saved position replays exactly the batches an uninterrupted run sees.
/// </summary>
public sealed class DataOrder(int count, long seed)
{
    int[]? permutation;
    long permutationEpoch = -1;

    public int this[long position]
    {
        get
        {
            long epoch = position / count;
            if (epoch != permutationEpoch)
            {
                permutation = Enumerable.Range(0, count).ToArray();
                new Random(HashCode.Combine(seed, epoch)).Shuffle(permutation);
                permutationEpoch = epoch;
            }
            return permutation![position % count];
        }
    }

    public List<T> Take<T>(IReadOnlyList<T> items, long position, int n)
    {
        var batch = new List<T>(n);
        for (int i = 0; i < n; i++) batch.Add(items[this[position + i]]);
        return batch;
    }
}
