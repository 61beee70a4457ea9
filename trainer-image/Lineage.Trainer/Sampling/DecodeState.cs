namespace Lineage.Trainer.Sampling;

/// <summary>Per-sequence bookkeeping on the host: tokens so far, which sequences are done and why.</summary>
sealed class DecodeState(int sequences, int budget)
{
    readonly List<int>[] tokens = Enumerable.Range(0, sequences).Select(_ => new List<int>(budget)).ToArray();
    readonly bool[] done = new bool[sequences], eos = new bool[sequences], truncated = new bool[sequences];

    /// <summary>
    /// Appends the tokens just picked, <paramref name="picked"/>[i] for sequence <paramref name="sequenceOfRow"/>[i],
    /// and returns the rows whose sequences go on (ascending).
    /// </summary>
    public List<int> Accept(long[] picked, IReadOnlyList<int> sequenceOfRow, StopCriteria stop, bool lastStep)
    {
        var running = new List<int>(sequenceOfRow.Count);
        for (int row = 0; row < sequenceOfRow.Count; row++)
        {
            int s = sequenceOfRow[row];
            if (done[s]) continue;
            int token = (int)picked[row];
            if (stop.IsEos(token)) { done[s] = eos[s] = true; continue; }
            tokens[s].Add(token);
            if (stop.EndsWithStopString(tokens[s])) done[s] = true;
            else if (lastStep) done[s] = truncated[s] = true;
            else running.Add(row);
        }
        return running;
    }

    public List<Completion> Results() =>
        Enumerable.Range(0, tokens.Length).Select(s => new Completion(tokens[s].ToArray(), truncated[s] || !done[s], eos[s])).ToList();
}
