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
                new Random(EpochSeed(seed, epoch)).Shuffle(permutation);
                permutationEpoch = epoch;
            }
            return permutation![position % count];
        }
    }

    /// <summary>SplitMix64 of (seed, epoch): stable across processes, unlike HashCode.Combine, which is randomised per process
    /// and would make a resumed process replay a different order.</summary>
    internal static int EpochSeed(long seed, long epoch)
    {
        ulong z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + (ulong)epoch);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        return (int)((z ^ (z >> 31)) & 0x7FFFFFFF);
    }

    public List<T> Take<T>(IReadOnlyList<T> items, long position, int n)
    {
        var batch = new List<T>(n);
        for (int i = 0; i < n; i++) batch.Add(items[this[position + i]]);
        return batch;
    }
}
