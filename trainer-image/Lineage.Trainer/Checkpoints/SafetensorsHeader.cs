using System.Buffers.Binary;
using System.Text.Json;

namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// The parsed and validated header of a safetensors file: 8 bytes little-endian header length, then that many
/// bytes of UTF-8 JSON mapping tensor names to {dtype, shape, data_offsets}, plus an optional __metadata__.
/// Every problem is an <see cref="InvalidDataException"/> that names the file and what is wrong.
/// </summary>
public sealed record SafetensorsHeader(
    string Path,
    long DataStart,
    IReadOnlyList<SafetensorsEntry> Entries,
    IReadOnlyDictionary<string, string> Metadata)
{
    /// <summary>Real headers are a few hundred KB; the format itself caps them at 100 MB.</summary>
    const long MaxHeaderBytes = 100_000_000;

    public SafetensorsEntry this[string name] => Entries.FirstOrDefault(e => e.Name == name)
        ?? throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");

    public static SafetensorsHeader Read(string path)
    {
        using var stream = OpenRead(path);
        return Read(stream, path);
    }

    internal static FileStream OpenRead(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: safetensors file not found", path);
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20);
    }

    internal static SafetensorsHeader Read(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Bad(path, $"file is {fileLength} bytes, too short for the 8-byte header length (truncated?)");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(fileLength - 8))
            throw Bad(path, $"header length {headerLength} runs past the end of the file ({fileLength} bytes; truncated or not a safetensors file)");
        if (headerLength > MaxHeaderBytes) throw Bad(path, $"header length {headerLength} exceeds the 100 MB limit");

        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        var (entries, metadata) = Parse(json, path);
        Validate(entries, fileLength - dataStart, path);
        return new SafetensorsHeader(path, dataStart, entries, metadata);
    }

    static (List<SafetensorsEntry>, Dictionary<string, string>) Parse(byte[] json, string path)
    {
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>();
        JsonDocument document;
        try
        {
            // HF pads the header with trailing spaces; JSON parsers accept trailing whitespace.
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"header is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(path, "header JSON is not an object");
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object) throw Bad(path, "__metadata__ is not an object");
                    foreach (var m in property.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ValueKind == JsonValueKind.String ? m.Value.GetString()! : m.Value.GetRawText();
                    continue;
                }
                entries.Add(ParseEntry(property, path));
            }
        }
        return (entries, metadata);
    }

    static SafetensorsEntry ParseEntry(JsonProperty property, string path)
    {
        string name = property.Name;
        var value = property.Value;
        if (value.ValueKind != JsonValueKind.Object) throw Bad(path, $"tensor '{name}': entry is not an object");
        if (!value.TryGetProperty("dtype", out var dtypeJson) || dtypeJson.ValueKind != JsonValueKind.String)
            throw Bad(path, $"tensor '{name}': missing dtype");
        string dtypeName = dtypeJson.GetString()!;
        var dtype = SafetensorsDtypes.Parse(dtypeName)
            ?? throw Bad(path, $"tensor '{name}': dtype '{dtypeName}' is not supported (F32, F16, BF16, F64, I64, I32)");
        if (!value.TryGetProperty("shape", out var shapeJson) || shapeJson.ValueKind != JsonValueKind.Array)
            throw Bad(path, $"tensor '{name}': missing shape");
        if (!value.TryGetProperty("data_offsets", out var offsetsJson) || offsetsJson.ValueKind != JsonValueKind.Array || offsetsJson.GetArrayLength() != 2)
            throw Bad(path, $"tensor '{name}': data_offsets must be [begin, end]");
        try
        {
            var shape = shapeJson.EnumerateArray().Select(d => d.GetInt64()).ToArray();
            if (shape.Any(d => d < 0)) throw Bad(path, $"tensor '{name}': negative dimension in shape [{string.Join(", ", shape)}]");
            long begin = offsetsJson[0].GetInt64(), end = offsetsJson[1].GetInt64();
            return new SafetensorsEntry(name, dtype, shape, begin, end);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            throw Bad(path, $"tensor '{name}': shape and data_offsets must be non-negative integers");
        }
    }

    /// <summary>Offsets must tile the data section in order: no gaps, no overlaps, sizes matching shape × dtype.</summary>
    static void Validate(List<SafetensorsEntry> entries, long dataLength, string path)
    {
        foreach (var e in entries)
        {
            if (e.Begin < 0 || e.End < e.Begin) throw Bad(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] are not an increasing range");
            if (e.End > dataLength)
                throw Bad(path, $"tensor '{e.Name}': data_offsets end {e.End} is past the data section ({dataLength} bytes; file truncated?)");
            long expected;
            try { expected = checked(e.ElementCount * e.Dtype.ElementSize()); }
            catch (OverflowException) { throw Bad(path, $"tensor '{e.Name}': shape is too large"); }
            if (e.ByteLength != expected)
                throw Bad(path, $"tensor '{e.Name}': {e.ByteLength} bytes in data_offsets but shape [{string.Join(", ", e.Shape)}] of {e.Dtype} needs {expected}");
        }
        long cursor = 0;
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < cursor) throw Bad(path, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap the previous tensor (ends at {cursor})");
            if (e.Begin > cursor) throw Bad(path, $"tensor '{e.Name}': gap of {e.Begin - cursor} bytes before it in the data section");
            cursor = e.End;
        }
        if (cursor != dataLength) throw Bad(path, $"data section is {dataLength} bytes but tensors cover {cursor}");
    }

    internal static InvalidDataException Bad(string path, string what) => new($"{path}: invalid safetensors file: {what}");
}
