using static TorchSharp.torch;

namespace Lineage.Trainer.Preferences;

/// <summary>Whole sequences right-padded into [B,T] ids with their real lengths [B]: what a reward head scores.</summary>
public sealed record SequenceBatch(Tensor Ids, Tensor Lengths) : IDisposable
{
    /// <summary>A sequence longer than <paramref name="maxSeqLen"/> keeps its last tokens: the head reads at the end.</summary>
    public static SequenceBatch RightPadded(IReadOnlyList<int[]> sequences, int maxSeqLen, int padId, Device? device = null)
    {
        if (sequences.Count == 0) throw new ArgumentException("a batch needs at least one sequence", nameof(sequences));
        int width = Math.Min(maxSeqLen, sequences.Max(s => s.Length));
        var ids = new long[sequences.Count * width];
        var lengths = new long[sequences.Count];
        Array.Fill(ids, padId);
        for (int r = 0; r < sequences.Count; r++)
        {
            var s = sequences[r];
            int length = Math.Min(width, s.Length), from = s.Length - length;
            for (int i = 0; i < length; i++) ids[r * width + i] = s[from + i];
            lengths[r] = length;
        }
        return new SequenceBatch(tensor(ids, [sequences.Count, width], device: device), tensor(lengths, device: device));
    }

    public long Tokens => Lengths.sum().item<long>();

    public void Dispose()
    {
        Ids.Dispose();
        Lengths.Dispose();
    }
}
