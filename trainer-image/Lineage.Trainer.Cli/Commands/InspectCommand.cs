using System.CommandLine;
using System.Text.Json;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using static TorchSharp.torch;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`inspect`: config, parameter count and (with --tokens) last-position logits, to compare against another implementation.</summary>
static class InspectCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Model directory or store URI (s3://bucket/…/model).", Required = true };
        var tokens = new Option<string?>("--tokens") { Description = "Comma-separated token ids; prints the logits at the last position." };
        var text = new Option<string?>("--text") { Description = "Text to tokenize and run instead of --tokens." };
        var command = new Command("inspect", "Print a model's config, parameter count and (optionally) last-position logits as JSON.") { model, tokens, text };
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            using var loaded = PretrainedModel.Load(ModelLocation.Materialize(parse.GetValue(model)!, ct));
            var report = new Dictionary<string, object>
            {
                ["config"] = JsonSerializer.Deserialize<JsonElement>(loaded.Model.Config.ToJson()),
                ["parameters"] = loaded.Model.ParameterCount(),
                ["vocabSize"] = loaded.Tokenizer.VocabSize,
            };
            int[]? ids = parse.GetValue(tokens) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ParseToken(loaded.Model.Config.VocabSize)).ToArray()
                : parse.GetValue(text) is { } t ? loaded.Tokenizer.Encode(t).ToArray() : null;
            if (ids is { Length: > 0 })
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                loaded.Model.eval();
                var logits = loaded.Model.Forward(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]), lastOnly: true);
                report["tokens"] = ids;
                report["lastLogits"] = logits.reshape(-1).data<float>().ToArray();
            }
            Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Indented));
            return 0;
        }));
        return command;
    }

    static Func<string, int> ParseToken(int vocab) => s =>
        int.TryParse(s, out int id) && id >= 0 && id < vocab ? id : throw new ArgumentException($"--tokens: '{s}' is not a token id in [0, {vocab})");
}
