namespace Lineage.Trainer.Tasks;

/// <summary>
/// Decides train or test from a hash of the problem itself, not from the seed or the draw order,
/// so a test problem can never be drawn into train — for any seed.
/// </summary>
public static class SplitAssignment
{
    public const string Train = "train";
    public const string Test = "test";

    /// <summary>Share of all problems that belong to the test split, in thousandths.</summary>
    public const int TestPerMille = 100;

    public static string Of(string splitKey) => StableHash(splitKey) % 1000 < TestPerMille ? Test : Train;

    /// <summary>FNV-1a 64 with a SplitMix64 finaliser: stable across processes, unlike string.GetHashCode.</summary>
    public static ulong StableHash(string text)
    {
        ulong hash = 14695981039346656037UL;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= hash >> 30;
        hash *= 0xBF58476D1CE4E5B9UL;
        hash ^= hash >> 27;
        hash *= 0x94D049BB133111EBUL;
        hash ^= hash >> 31;
        return hash;
    }
}
