namespace Lineage.Trainer.Sampling;

/// <summary>When a sequence is done: an end-of-sequence id, or its completion text ending with a stop string.</summary>
public sealed record StopCriteria(IReadOnlySet<int> EosIds, IReadOnlyList<string> Strings, Func<IReadOnlyList<int>, string> Decode)
{
    readonly int tailTokens = Strings.Count == 0 ? 0 : Strings.Max(s => s.Length) + 2;

    public bool IsEos(int token) => EosIds.Contains(token);

    /// <summary>Decodes only the tail: every token is at least one character, so the tail covers the longest stop string.</summary>
    public bool EndsWithStopString(List<int> completion)
    {
        if (tailTokens == 0 || completion.Count == 0) return false;
        int from = Math.Max(0, completion.Count - tailTokens);
        var tail = Decode(completion.GetRange(from, completion.Count - from));
        foreach (var s in Strings)
            if (tail.EndsWith(s, StringComparison.Ordinal)) return true;
        return false;
    }
}
