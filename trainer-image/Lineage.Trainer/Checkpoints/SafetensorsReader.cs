using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// Reads safetensors files into float32 CPU tensors (integer tensors keep their type), one tensor at a time
/// through a FileStream so a 1 GB file never sits in memory twice.
/// </summary>
public static class SafetensorsReader
{
    /// <summary>Every tensor of the file, by name. The caller owns (and disposes) the tensors.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var stream = SafetensorsHeader.OpenRead(path);
        var header = SafetensorsHeader.Read(stream, path);
        var tensors = new Dictionary<string, Tensor>(header.Entries.Count);
        try
        {
            // Reading in file order keeps the stream sequential.
            foreach (var entry in header.Entries.OrderBy(e => e.Begin))
                tensors[entry.Name] = ReadTensor(stream, header, entry);
        }
        catch
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw;
        }
        return tensors;
    }

    /// <summary>One tensor of the file by name, without reading the others.</summary>
    public static Tensor LoadTensor(string path, string name)
    {
        using var stream = SafetensorsHeader.OpenRead(path);
        var header = SafetensorsHeader.Read(stream, path);
        return ReadTensor(stream, header, header[name]);
    }

    static Tensor ReadTensor(FileStream stream, SafetensorsHeader header, SafetensorsEntry entry)
    {
        if (entry.ByteLength > Array.MaxLength)
            throw new InvalidDataException($"{header.Path}: tensor '{entry.Name}' is {entry.ByteLength} bytes; tensors over 2 GB are not supported");
        stream.Position = header.DataStart + entry.Begin;
        var raw = torch.empty(entry.Shape, entry.Dtype.ToScalarType(), device: CPU);
        try
        {
            if (entry.ByteLength > 0)
            {
                var buffer = new byte[entry.ByteLength];
                stream.ReadExactly(buffer);
                raw.bytes = buffer;
            }
            if (entry.Dtype is SafetensorsDtype.F32 || !entry.Dtype.IsFloatingPoint()) return raw;
            using (raw) return raw.to(ScalarType.Float32);
        }
        catch (EndOfStreamException)
        {
            raw.Dispose();
            throw SafetensorsHeader.Bad(header.Path, $"tensor '{entry.Name}': file ended inside its data (truncated)");
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }
}
