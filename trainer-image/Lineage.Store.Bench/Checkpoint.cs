namespace Lineage.Store.Bench;

/// <summary>The benchmark's checkpoint: one large weights file (seeded random blocks, incompressible) plus small JSON files.</summary>
static class Checkpoint
{
    public static long Write(string directory, long weightBytes)
    {
        Directory.CreateDirectory(directory);
        var block = new byte[1 << 20];
        new Random(42).NextBytes(block);
        using (var file = new FileStream(Path.Combine(directory, "model.safetensors"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            for (long written = 0; written < weightBytes; written += block.Length)
            {
                block[written / block.Length % block.Length] ^= 0x5a;   // every block differs
                file.Write(block, 0, (int)Math.Min(block.Length, weightBytes - written));
            }
        }
        File.WriteAllText(Path.Combine(directory, "config.json"), "{\"hidden_size\": 2048}");
        File.WriteAllText(Path.Combine(directory, "trainer_state.json"), "{\"step\": 100}");
        return Directory.GetFiles(directory).Sum(f => new FileInfo(f).Length);
    }

    /// <summary>The baseline: stream-copy every file, as a local save would.</summary>
    public static void PlainCopy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            using var output = new FileStream(Path.Combine(to, Path.GetFileName(file)), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            input.CopyTo(output, 1 << 20);
        }
    }
}
