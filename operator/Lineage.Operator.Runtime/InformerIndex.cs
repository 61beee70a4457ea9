namespace Lineage.Operator.Runtime;

/// <summary>
/// One secondary index of an informer's cache: value → keys of the objects that carry it (client-go's Indexer).
/// The informer updates it on every stored or removed object; readers take a snapshot under the lock.
/// </summary>
internal sealed class InformerIndex<T>(Func<T, IEnumerable<string>> valuesOf) where T : class
{
    readonly Dictionary<string, HashSet<ObjectKey>> keys = new(StringComparer.Ordinal);
    readonly Lock gate = new();

    public void Update(ObjectKey key, T? previous, T? next)
    {
        var before = previous is null ? [] : valuesOf(previous).ToHashSet(StringComparer.Ordinal);
        var after = next is null ? [] : valuesOf(next).ToHashSet(StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var value in before)
            {
                if (after.Contains(value) || !keys.TryGetValue(value, out var set)) continue;
                set.Remove(key);
                if (set.Count == 0) keys.Remove(value);
            }
            foreach (var value in after)
            {
                if (!keys.TryGetValue(value, out var set)) keys[value] = set = [];
                set.Add(key);
            }
        }
    }

    public ObjectKey[] Keys(string value)
    {
        lock (gate) return keys.TryGetValue(value, out var set) ? [.. set] : [];
    }
}
