namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// One tensor declared in a safetensors header. <see cref="Begin"/> and <see cref="End"/> are the
/// header's data_offsets: byte positions relative to the start of the data section (after the header).
/// </summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End)
{
    public long ElementCount => Shape.Aggregate(1L, (n, d) => checked(n * d));
    public long ByteLength => End - Begin;
}
