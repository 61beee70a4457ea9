using System.Diagnostics;
using System.Text.Json;

namespace Lineage.Trainer.Tests.Tokenization.Interop;

/// <summary>Runs Hugging Face's JavaScript tokenizers (installed by tests/setup/tokenizers-js.sh) on a model directory.</summary>
static class HuggingFaceTokenizersJs
{
    public static int[][] Encode(string modelDirectory, IReadOnlyList<string> texts)
    {
        string root = RepositoryRoot();
        string modules = Path.Combine(root, "tests", ".tools", "tokenizers-js");
        if (!Directory.Exists(Path.Combine(modules, "node_modules", "@huggingface", "tokenizers")))
            throw new InvalidOperationException($"{modules}: @huggingface/tokenizers is not installed; run tests/setup/tokenizers-js.sh");
        string script = Path.Combine(root, "tests", "Lineage.Trainer.Tests", "Tokenization", "Interop", "encode.mjs");
        var start = new ProcessStartInfo("node") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { script, modules, modelDirectory }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(JsonSerializer.Serialize(texts));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000)) { process.Kill(); throw new TimeoutException("node encode.mjs did not finish in 60 s"); }
        if (process.ExitCode != 0) throw new InvalidOperationException($"node encode.mjs failed: {stderr.Result}");
        return JsonSerializer.Deserialize<int[][]>(stdout.Result)!;
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
