namespace Lineage.Store.Tests.Support;

/// <summary>Local folders shaped like model directories and checkpoints, with seeded pseudo-random content.</summary>
static class SampleFolders
{
    public static string Checkpoint(string root, string name, long step, int largeBytes = 0)
    {
        string dir = Path.Combine(root, name);
        Directory.CreateDirectory(Path.Combine(dir, "tokenizer"));
        File.WriteAllText(Path.Combine(dir, "config.json"), $"{{\"step\": {step}}}");
        File.WriteAllText(Path.Combine(dir, "trainer_state.json"), $"{{\"step\": {step}, \"seed\": 7}}");
        File.WriteAllBytes(Path.Combine(dir, "tokenizer", "tokenizer.json"), Bytes(3000, seed: (int)step));
        File.WriteAllBytes(Path.Combine(dir, "model.safetensors"), Bytes(largeBytes > 0 ? largeBytes : 100_000, seed: (int)step + 1));
        return dir;
    }

    public static byte[] Bytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static void AssertSameFiles(string expected, string actual)
    {
        var a = Directory.EnumerateFiles(expected, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(expected, f)).Order().ToList();
        var b = Directory.EnumerateFiles(actual, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(actual, f))
            .Where(f => f != "manifest.json").Order().ToList();
        Assert.Equal(a, b);
        foreach (var f in a) Assert.True(File.ReadAllBytes(Path.Combine(expected, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(actual, f))), f);
    }
}
