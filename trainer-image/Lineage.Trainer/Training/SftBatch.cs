using static TorchSharp.torch;

namespace Lineage.Trainer.Training;

/// <summary>
/// Next-token inputs and targets with a loss mask that is 1 only where the target is a completion
/// token. Padded batches use plain causal attention (right padding never leaks backwards); packed
/// batches carry a block-diagonal mask and per-example positions.
/// </summary>
public sealed record SftBatch(Tensor InputIds, Tensor Targets, Tensor LossMask, Tensor? AttentionMask, Tensor? Positions) : IDisposable
{
    public long CompletionTokens => (long)LossMask.sum().item<float>();
    public long Tokens => InputIds.numel();

    public static SftBatch Padded(IReadOnlyList<SftExample> examples, int maxSeqLen, int padId, Device? device = null)
    {
        int rows = examples.Count;
        int width = Math.Min(maxSeqLen, examples.Max(e => e.Length)) - 1;
        var input = new long[rows * width];
        var target = new long[rows * width];
        var mask = new float[rows * width];
        Array.Fill(input, padId);
        Array.Fill(target, padId);
        for (int r = 0; r < rows; r++)
            Fill(examples[r], input, target, mask, r * width, width, null, null, 0);
        return new SftBatch(tensor(input, [rows, width], device: device), tensor(target, [rows, width], device: device), tensor(mask, [rows, width], device: device), null, null);
    }

    /// <summary>Greedily packs examples into rows of <paramref name="maxSeqLen"/> tokens; an example never spans rows.</summary>
    public static SftBatch Packed(IReadOnlyList<SftExample> examples, int maxSeqLen, int padId, Device? device = null)
    {
        int width = maxSeqLen - 1;
        var rows = new List<List<SftExample>>();
        int used = 0;
        foreach (var e in examples)
        {
            int need = Math.Min(e.Length, maxSeqLen) - 1;
            if (rows.Count == 0 || used + need > width) { rows.Add([]); used = 0; }
            rows[^1].Add(e);
            used += need;
        }
        var input = new long[rows.Count * width];
        var target = new long[rows.Count * width];
        var mask = new float[rows.Count * width];
        var positions = new long[rows.Count * width];
        var segments = new int[rows.Count * width];
        Array.Fill(input, padId);
        Array.Fill(target, padId);
        Array.Fill(segments, -1);
        for (int r = 0; r < rows.Count; r++)
        {
            int offset = 0, segment = 0;
            foreach (var e in rows[r])
                offset += Fill(e, input, target, mask, r * width + offset, width - offset, positions, segments, segment++);
            for (int i = offset; i < width; i++) { positions[r * width + i] = i - offset; segments[r * width + i] = segment; }
        }
        var seg = tensor(segments, [rows.Count, width], device: device);
        var sameSegment = seg.unsqueeze(2).eq(seg.unsqueeze(1));
        var causal = ones(width, width, dtype: ScalarType.Bool, device: device).tril();
        var attention = sameSegment.logical_and(causal).unsqueeze(1);
        return new SftBatch(tensor(input, [rows.Count, width], device: device), tensor(target, [rows.Count, width], device: device),
            tensor(mask, [rows.Count, width], device: device), attention, tensor(positions, [rows.Count, width], device: device));
    }

    /// <summary>Writes one example's shifted tokens at <paramref name="at"/>; returns how many slots it used.</summary>
    static int Fill(SftExample e, long[] input, long[] target, float[] mask, int at, int room, long[]? positions, int[]? segments, int segment)
    {
        var sequence = e.Prompt.Concat(e.Completion).ToArray();
        int used = Math.Min(sequence.Length - 1, room);
        for (int i = 0; i < used; i++)
        {
            input[at + i] = sequence[i];
            target[at + i] = sequence[i + 1];
            mask[at + i] = i + 1 >= e.Prompt.Length ? 1f : 0f;
            if (positions is not null) positions[at + i] = i;
            if (segments is not null) segments[at + i] = segment;
        }
        return used;
    }

    public void Dispose()
    {
        InputIds.Dispose(); Targets.Dispose(); LossMask.Dispose();
        AttentionMask?.Dispose(); Positions?.Dispose();
    }
}
