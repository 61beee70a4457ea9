using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Lineage.Local.Tests.Support;

namespace Lineage.Local.Tests;

/// <summary>
/// The real lineage-trainer, run as a Job's pod runs it, on input only the trainer can judge: each is refused with one
/// line on stderr naming the file, line or field (what the operator copies into the run's condition) and exit code 2
/// (not retried), or 3 for the store (retried); nothing already saved is overwritten. docs/reliability.md quotes these.
/// </summary>
public sealed class TrainerBadInputTests : IClassFixture<TrainerBadInputTests.TinyModel>
{
    /// <summary>A fresh tiny model folder, written once by `lineage-trainer publish --init` (with its manifest).</summary>
    public sealed class TinyModel : IDisposable
    {
        public string Root { get; } = Directory.CreateTempSubdirectory("lineage-trainer-badinput").FullName;
        public string Good => Path.Combine(Root, "good");

        public TinyModel()
        {
            var published = Trainer.Run("publish", "--init", "--to", Good, "--seed", "1",
                "--set", "hiddenSize=32", "--set", "numHiddenLayers=1", "--set", "numAttentionHeads=2", "--set", "numKeyValueHeads=1", "--set", "intermediateSize=64");
            if (published.ExitCode != 0) throw new InvalidOperationException($"publish --init failed: {published.Stderr}");
        }

        /// <summary>A copy of the good model folder, to break one file of.</summary>
        public string Copy(string name)
        {
            var to = Path.Combine(Root, name);
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(Good)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            return to;
        }

        public void Dispose()
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
        }
    }

    readonly TinyModel tiny;

    public TrainerBadInputTests(TinyModel tiny) => this.tiny = tiny;

    static void AssertRefused(Trainer.Result run, int exitCode, string line)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}\nstderr: {run.Stderr}\nstdout: {run.Stdout}");
        Assert.Equal("lineage-trainer: " + line, run.Stderr.TrimEnd('\n'));
    }

    string Write(string name, string text)
    {
        var path = Path.Combine(tiny.Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Bad_config_values_are_refused_naming_file_and_field()
    {
        var config = Write("values.yaml", "output: out\nsteps: 0\noptim:\n  learningRate: -1\n");
        AssertRefused(Trainer.Run("sft", "--config", config), 2,
            $"{config}: invalid config:\n  optim.learningRate: must be > 0 (got -1)\n  steps: must be > 0 (got 0)");

        var unknown = Write("unknown.yaml", "output: out\nstepz: 12\n");
        AssertRefused(Trainer.Run("sft", "--config", unknown), 2, $"{unknown}: line 2, column 1: unknown field 'stepz' (not a field of SftConfig)");

        var type = Write("type.yaml", "output: out\noptim:\n  learningRate: 1e-3\nsteps: many\n");
        AssertRefused(Trainer.Run("sft", "--config", type), 2, $"{type}: line 4, column 8: steps: The input string 'many' was not in a correct format");
    }

    [Fact]
    public void A_malformed_dataset_line_is_refused_naming_file_and_line()
    {
        var data = Write("problems.jsonl", "{\"prompt\": \"1+2=\", \"answer\": \"3\"}\n{\"prompt\": \"2+2=\" \"answer\": \"4\"}\n");
        var run = Trainer.Run("eval", "--model", tiny.Good, "--set", $"data.path={data}");
        Assert.True(run.ExitCode == 2, run.Stderr);
        Assert.StartsWith($"lineage-trainer: {data}:2: not valid JSON (", run.Stderr);   // then System.Text.Json's own words
    }

    [Fact]
    public void A_truncated_safetensors_file_is_refused_naming_the_file()
    {
        var model = tiny.Copy("truncated");
        var weights = Path.Combine(model, "model.safetensors");
        using (var file = File.OpenWrite(weights)) file.SetLength(file.Length / 2);

        var run = Trainer.Run("eval", "--model", model, "--count", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"lineage-trainer: {weights}: invalid safetensors file: ", run.Stderr);
        Assert.Contains("truncated", run.Stderr);
    }

    [Fact]
    public void A_foreign_safetensors_file_is_refused_naming_the_folder_and_the_tensors()
    {
        var other = Path.Combine(tiny.Root, "other-shape");
        var published = Trainer.Run("publish", "--init", "--to", other, "--set", "hiddenSize=48", "--set", "numHiddenLayers=2",
            "--set", "numAttentionHeads=2", "--set", "numKeyValueHeads=1", "--set", "intermediateSize=64");
        Assert.Equal(0, published.ExitCode);
        var model = tiny.Copy("foreign");
        File.Copy(Path.Combine(other, "model.safetensors"), Path.Combine(model, "model.safetensors"), overwrite: true);

        var run = Trainer.Run("eval", "--model", model, "--count", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"lineage-trainer: {model}: the safetensors weights do not match config.json: ", run.Stderr);
        Assert.Contains("model.embed_tokens.weight: checkpoint [", run.Stderr);
        Assert.Contains("unexpected: [model.layers.1.", run.Stderr);
    }

    [Fact]
    public void A_tokenizer_json_of_another_family_is_refused_naming_the_file()
    {
        // Another family's tokenizer.json names its special tokens otherwise (Llama 3's), so the eos token that this
        // model's tokenizer_config.json names is not among them.
        var model = tiny.Copy("llama-tokenizer");
        var tokenizerPath = Path.Combine(model, "tokenizer.json");
        var tokenizer = JsonNode.Parse(File.ReadAllText(tokenizerPath))!;
        var eos = (string)JsonNode.Parse(File.ReadAllText(Path.Combine(model, "tokenizer_config.json")))!["eos_token"]!;
        string[] llama = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>", "<|finetune_right_pad_id|>", "<|start_header_id|>", "<|end_header_id|>"];
        var added = tokenizer["added_tokens"]!.AsArray();
        var vocab = tokenizer["model"]!["vocab"]!.AsObject();
        for (int i = 0; i < added.Count; i++)
        {
            var old = (string)added[i]!["content"]!;
            var renamed = llama[i % llama.Length] + (i >= llama.Length ? $"{i}" : "");
            added[i]!["content"] = renamed;
            if (vocab[old] is { } id) { vocab.Remove(old); vocab[renamed] = id.DeepClone(); }
        }
        File.WriteAllText(tokenizerPath, tokenizer.ToJsonString());

        var run = Trainer.Run("eval", "--model", model, "--count", "2");
        AssertRefused(run, 2, $"{Path.Combine(model, "tokenizer_config.json")}: eos_token '{eos}' is not an added token of tokenizer.json");
    }

    [Fact]
    public void A_tokenizer_json_of_another_family_without_a_tokenizer_config_is_refused_on_the_models_token_ids()
    {
        // Another family's tokenizer.json whose eos has a well-known name and which fits in vocab_size: with no
        // tokenizer_config.json the role names pass, but config.json's eos id is an ordinary token of it. Built from this
        // model's own by moving its special tokens to the front and the ordinary tokens up (another family numbers them otherwise).
        var model = tiny.Copy("other-family-tokenizer");
        File.Delete(Path.Combine(model, "tokenizer_config.json"));
        var tokenizerPath = Path.Combine(model, "tokenizer.json");
        var tokenizer = JsonNode.Parse(File.ReadAllText(tokenizerPath))!;
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "config.json")))!;
        int eosId = (int)config["eos_token_id"]!;
        var added = tokenizer["added_tokens"]!.AsArray();
        var vocab = tokenizer["model"]!["vocab"]!.AsObject();
        var specials = added.Select(a => (int)a!["id"]!).ToHashSet();
        var ordinary = vocab.Where(kv => !specials.Contains((int)kv.Value!)).OrderBy(kv => (int)kv.Value!).Select(kv => kv.Key).ToList();
        var renumbered = new JsonObject();
        for (int i = 0; i < added.Count; i++)
        {
            added[i]!["id"] = i;
            renumbered[(string)added[i]!["content"]!] = i;
        }
        for (int i = 0; i < ordinary.Count; i++) renumbered[ordinary[i]] = added.Count + i;
        tokenizer["model"]!["vocab"] = renumbered;
        File.WriteAllText(tokenizerPath, tokenizer.ToJsonString());
        Assert.DoesNotContain(added, a => (int)a!["id"]! == eosId); // the model's eos id is now an ordinary token

        var run = Trainer.Run("eval", "--model", model, "--count", "2");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"lineage-trainer: {model}: config.json eos_token_id {eosId} is an ordinary token (", run.Stderr);
        Assert.EndsWith("in tokenizer.json: the tokenizer is not this model's", run.Stderr.TrimEnd('\n'));
    }

    [Fact]
    public void A_tokenizer_json_larger_than_the_models_vocabulary_is_refused()
    {
        var model = tiny.Copy("big-tokenizer");
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(model, "config.json")))!;
        var vocabSize = (int)config["vocab_size"]!;
        config["vocab_size"] = vocabSize - 8;
        File.WriteAllText(Path.Combine(model, "config.json"), config.ToJsonString());

        var run = Trainer.Run("eval", "--model", model, "--count", "2");
        AssertRefused(run, 2, $"{model}: tokenizer has {vocabSize} ids but config.json vocab_size is {vocabSize - 8}");
    }

    [Fact]
    public void A_store_uri_without_credentials_names_the_settings_and_exits_as_a_store_failure()
    {
        var run = Trainer.Run(["eval", "--model", "s3://models/lineages/math/gen-0/model", "--count", "2"], new() { ["LINEAGE_S3_ENDPOINT"] = "127.0.0.1:9" });
        AssertRefused(run, 3, "LINEAGE_S3_ACCESS_KEY (or LINEAGE_S3_ACCESS_KEY_FILE, AWS_ACCESS_KEY_ID) is not set: S3 credentials are needed for s3:// locations");

        run = Trainer.Run("eval", "--model", "s3://models/lineages/math/gen-0/model", "--count", "2");
        AssertRefused(run, 3, "LINEAGE_S3_ENDPOINT is not set: an s3:// location needs the S3 endpoint (host:port or http(s)://host:port)");
    }

    [Fact]
    public void Publishing_a_broken_folder_over_a_good_model_is_refused_and_the_good_model_is_kept()
    {
        var target = tiny.Copy("published");
        var before = Hashes(target);
        var broken = tiny.Copy("broken");
        var weights = Path.Combine(broken, "model.safetensors");
        using (var file = File.OpenWrite(weights)) file.SetLength(file.Length - 100);

        var run = Trainer.Run("publish", "--model", broken, "--to", target);
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"lineage-trainer: {weights}: invalid safetensors file: ", run.Stderr);
        Assert.Equal(before, Hashes(target));
        Assert.Equal(0, Trainer.Run("eval", "--model", target, "--count", "2").ExitCode);
    }

    static string Hashes(string folder) => string.Join("\n", Directory.GetFiles(folder).Order(StringComparer.Ordinal)
        .Select(f => $"{Path.GetFileName(f)} {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(f)))}"));

    /// <summary>lineage-trainer as a process, with no S3 settings or credentials from the test's environment unless given.</summary>
    public static class Trainer
    {
        public sealed record Result(int ExitCode, string Stdout, string Stderr);

        public static Result Run(params string[] args) => Run(args, []);

        public static Result Run(string[] args, Dictionary<string, string> environment)
        {
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            start.ArgumentList.Add(Repo.TrainerDll);
            foreach (var arg in args) start.ArgumentList.Add(arg);
            foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("LINEAGE_S3_", StringComparison.Ordinal) || k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
                start.Environment.Remove(name);
            foreach (var (name, value) in environment) start.Environment[name] = value;
            using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start lineage-trainer");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"lineage-trainer {string.Join(' ', args)} did not finish in 3 minutes");
            }
            return new Result(process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
