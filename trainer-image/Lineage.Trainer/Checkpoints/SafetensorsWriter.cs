using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// Writes tensors as a safetensors file the way Hugging Face does: tensors sorted by name, packed without gaps,
/// __metadata__ {"format":"pt"}, header padded with spaces to a multiple of 8 bytes so the data is aligned.
/// Written to a temporary file and renamed, so a crash never leaves a half-written checkpoint under the real name.
/// </summary>
public static class SafetensorsWriter
{
    /// <param name="dtype">F32 (default), BF16 or F16 for floating-point tensors; integer tensors keep their type.</param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, SafetensorsDtype dtype = SafetensorsDtype.F32,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (dtype is not (SafetensorsDtype.F32 or SafetensorsDtype.BF16 or SafetensorsDtype.F16))
            throw new ArgumentException($"tensors are written as F32, BF16 or F16, not {dtype}", nameof(dtype));
        var names = tensors.Keys.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var plan = names.Select(n => (Name: n, Dtype: StoredDtype(n, tensors[n], dtype), Shape: tensors[n].shape)).ToList();

        var header = new Dictionary<string, object>();
        var meta = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>()) { ["format"] = "pt" };
        header["__metadata__"] = meta;
        long offset = 0;
        foreach (var (name, stored, shape) in plan)
        {
            long length = shape.Aggregate(1L, (n, d) => n * d) * stored.ElementSize();
            header[name] = new { dtype = stored.ToString(), shape, data_offsets = new[] { offset, offset + length } };
            offset += length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        int padded = (json.Length + 7) / 8 * 8;

        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
        {
            Span<byte> prefix = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
            stream.Write(prefix);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
            foreach (var (name, stored, _) in plan)
            {
                using var scope = NewDisposeScope();
                var data = tensors[name].detach().cpu().to(stored.ToScalarType()).contiguous();
                stream.Write(data.bytes);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }

    static SafetensorsDtype StoredDtype(string name, Tensor tensor, SafetensorsDtype floating) => tensor.dtype switch
    {
        ScalarType.Float32 or ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Float64 => floating,
        ScalarType.Int64 => SafetensorsDtype.I64,
        ScalarType.Int32 => SafetensorsDtype.I32,
        _ => throw new ArgumentException($"tensor '{name}' has dtype {tensor.dtype}, which safetensors output does not support"),
    };
}
