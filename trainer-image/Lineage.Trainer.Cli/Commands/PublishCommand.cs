using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Store;
using Lineage.Trainer.Model;
using Lineage.Trainer.Tokenization;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>
/// `publish`: puts a model folder into the store with its manifest, so a Generation can name it as `base:`.
/// The folder is a Hugging Face model directory (config.json, safetensors, tokenizer.json) — checked by loading
/// it first — or, with --init, a fresh built-in small model.
/// </summary>
static class PublishCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "Local Hugging Face model directory to publish." };
        var init = new Option<bool>("--init") { Description = "Publish a fresh built-in small model (shape from --set init.*) instead of a folder." };
        var to = new Option<string>("--to") { Description = "Where it goes: a store URI (s3://bucket/prefix/model, file:///path) or a local folder.", Required = true };
        var set = new Option<string[]>("--set") { Description = "With --init: the model's shape, e.g. --set hiddenSize=128 (ModelInit fields).", AllowMultipleArgumentsPerToken = false };
        var seed = new Option<long>("--seed") { Description = "With --init: the weights' seed.", DefaultValueFactory = _ => 1 };
        var command = new Command("publish", "Publish a model folder (or a fresh small model) to a store URI with a manifest.") { model, init, to, set, seed };
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var from = parse.GetValue(model);
            var fresh = parse.GetValue(init);
            if ((from is null) == !fresh) throw new ArgumentException("give exactly one of --model DIR or --init");
            var target = parse.GetValue(to)!;
            string? scratch = null;
            try
            {
                if (fresh)
                {
                    var shape = ConfigLoader.Parse<ModelInit>("", "--set", parse.GetValue(set) ?? []);
                    scratch = Directory.CreateTempSubdirectory("lineage-publish-").FullName;
                    using var created = PretrainedModel.Create(shape, BuiltInTokenizer.Create(), parse.GetValue(seed));
                    created.Save(scratch);
                    from = scratch;
                }
                else
                {
                    if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"--model: '{from}' is not a directory");
                    using var loaded = PretrainedModel.Load(from!); // a folder the trainer cannot load is refused before anything is written
                }
                var manifest = ModelPublisher.PublishAsync(from!, target, 0, "lineage-trainer publish", ct).GetAwaiter().GetResult();
                var report = new
                {
                    uri = target,
                    files = manifest.Files.Count,
                    bytes = manifest.Files.Sum(f => f.Size),
                };
                Console.WriteLine(JsonSerializer.Serialize(report, CliJson.Indented));
                return 0;
            }
            finally
            {
                if (scratch is not null) Directory.Delete(scratch, recursive: true);
            }
        }));
        return command;
    }
}
