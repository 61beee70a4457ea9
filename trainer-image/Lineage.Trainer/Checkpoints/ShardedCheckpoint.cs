using System.Text.Json;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// The weights of a Hugging Face model directory: either one <c>model.safetensors</c> or shards
/// <c>model-0000i-of-0000n.safetensors</c> listed by <c>model.safetensors.index.json</c> (its <c>weight_map</c>).
/// </summary>
public static class ShardedCheckpoint
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>All weights of the directory by name, from the index's shards when an index exists.</summary>
    public static Dictionary<string, Tensor> Load(string directory)
    {
        string index = Path.Combine(directory, IndexFile);
        if (File.Exists(index)) return LoadShards(directory, index);
        string single = Path.Combine(directory, SingleFile);
        if (File.Exists(single)) return SafetensorsReader.Load(single);
        throw new FileNotFoundException($"{directory}: no {SingleFile} or {IndexFile}", single);
    }

    /// <summary>
    /// Writes the weights as one file, or as shards of at most <paramref name="maxShardBytes"/> each (a tensor larger than
    /// that gets a shard of its own) plus the index. Files of a previous layout in the directory are removed afterwards.
    /// </summary>
    public static void Save(string directory, IReadOnlyDictionary<string, Tensor> tensors, SafetensorsDtype dtype = SafetensorsDtype.F32,
        long maxShardBytes = long.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        Directory.CreateDirectory(directory);
        var shards = Partition(tensors, dtype, maxShardBytes);
        var written = new List<string>();
        if (shards.Count == 1)
        {
            SafetensorsWriter.Save(Path.Combine(directory, SingleFile), tensors, dtype);
            written.Add(SingleFile);
        }
        else
        {
            var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
            long totalSize = 0;
            for (int i = 0; i < shards.Count; i++)
            {
                string file = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
                var shard = shards[i].ToDictionary(n => n, n => tensors[n]);
                SafetensorsWriter.Save(Path.Combine(directory, file), shard, dtype);
                foreach (var name in shards[i]) { weightMap[name] = file; totalSize += StoredBytes(tensors[name], dtype); }
                written.Add(file);
            }
            var index = new { metadata = new { total_size = totalSize }, weight_map = weightMap };
            File.WriteAllText(Path.Combine(directory, IndexFile), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
            written.Add(IndexFile);
        }
        RemoveStaleWeightFiles(directory, written);
    }

    static Dictionary<string, Tensor> LoadShards(string directory, string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var result = new Dictionary<string, Tensor>(weightMap.Count);
        try
        {
            foreach (var shardGroup in weightMap.GroupBy(kv => kv.Value, kv => kv.Key))
            {
                string shardPath = Path.Combine(directory, shardGroup.Key);
                if (!File.Exists(shardPath)) throw new InvalidDataException($"{indexPath}: shard '{shardGroup.Key}' listed in weight_map does not exist");
                var shard = SafetensorsReader.Load(shardPath);
                var expected = shardGroup.ToHashSet();
                var unlisted = shard.Keys.Where(n => !expected.Contains(n)).ToList();
                var absent = expected.Where(n => !shard.ContainsKey(n)).ToList();
                foreach (var (name, tensor) in shard)
                {
                    if (expected.Contains(name)) result[name] = tensor; else tensor.Dispose();
                }
                if (absent.Count > 0)
                    throw new InvalidDataException($"{indexPath}: weight_map puts {string.Join(", ", absent.Take(5))} in '{shardGroup.Key}' but that shard does not contain them");
                if (unlisted.Count > 0)
                    throw new InvalidDataException($"{indexPath}: shard '{shardGroup.Key}' holds tensors the weight_map does not list: {string.Join(", ", unlisted.Take(5))}");
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result;
    }

    static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(File.ReadAllText(indexPath)); }
        catch (JsonException e) { throw new InvalidDataException($"{indexPath}: not valid JSON: {e.Message}", e); }
        if (root?["weight_map"] is not JsonObject map) throw new InvalidDataException($"{indexPath}: missing the weight_map object");
        var result = new Dictionary<string, string>();
        foreach (var (name, file) in map)
        {
            if (file is not JsonValue value || !value.TryGetValue(out string? fileName) || string.IsNullOrEmpty(fileName))
                throw new InvalidDataException($"{indexPath}: weight_map entry '{name}' is not a file name");
            if (Path.GetFileName(fileName) != fileName)
                throw new InvalidDataException($"{indexPath}: weight_map entry '{name}' points outside the model directory ('{fileName}')");
            result[name] = fileName;
        }
        return result;
    }

    static List<List<string>> Partition(IReadOnlyDictionary<string, Tensor> tensors, SafetensorsDtype dtype, long maxShardBytes)
    {
        var shards = new List<List<string>> { new() };
        long current = 0;
        foreach (var name in tensors.Keys.OrderBy(n => n, StringComparer.Ordinal))
        {
            long size = StoredBytes(tensors[name], dtype);
            if (current > 0 && current + size > maxShardBytes) { shards.Add([]); current = 0; }
            shards[^1].Add(name);
            current += size;
        }
        return shards;
    }

    static long StoredBytes(Tensor t, SafetensorsDtype floating)
    {
        int element = t.dtype switch { ScalarType.Int64 => 8, ScalarType.Int32 => 4, _ => floating.ElementSize() };
        return t.numel() * element;
    }

    static void RemoveStaleWeightFiles(string directory, List<string> written)
    {
        var keep = written.ToHashSet();
        var stale = Directory.EnumerateFiles(directory, "model*.safetensors")
            .Append(Path.Combine(directory, IndexFile))
            .Where(p => File.Exists(p) && !keep.Contains(Path.GetFileName(p)));
        foreach (var path in stale.ToList()) File.Delete(path);
    }
}
