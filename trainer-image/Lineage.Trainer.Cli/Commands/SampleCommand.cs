using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Sampling;
using Lineage.Trainer.Tasks;
using static TorchSharp.torch;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`sample`: batched, seeded generation; one JSON line per completion.</summary>
static class SampleCommand
{
    public static Command Create()
    {
        var command = new Command("sample", "Generate completions with the KV-cache sampler (greedy by default); prints JSON lines.");
        var prompt = new Option<string[]>("--prompt", "-p") { Description = "A problem text to complete (repeatable)." };
        command.Options.Add(prompt);
        var config = new ConfigOptions(command,
            ("--model", "model", "Model directory or store URI (s3://bucket/…/model)"),
            ("--n", "n", "Completions per prompt"),
            ("--temperature", "sampling.temperature", "0 = greedy"),
            ("--top-k", "sampling.topK", "Keep the k most likely tokens"),
            ("--top-p", "sampling.topP", "Nucleus mass"),
            ("--max-new-tokens", "sampling.maxNewTokens", "Completion budget"),
            ("--seed", "sampling.seed", "Sampling seed"));
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var direct = parse.GetValue(prompt) ?? [];
            // Prompts from --prompt go in as JSON strings, which YAML reads verbatim.
            var cfg = config.Load<SampleConfig>(parse, direct.Length == 0 ? null : [$"prompts=[{string.Join(", ", direct.Select(d => JsonSerializer.Serialize(d)))}]"]);
            using var model = PretrainedModel.Load(ModelLocation.Materialize(cfg.Model, ct));
            var texts = cfg.Prompts.Concat(cfg.Data is null ? [] : ProblemSet.Load(cfg.Data).Select(p => p.Prompt)).ToList();
            var inputs = texts.SelectMany(t => Enumerable.Repeat(model.Format.PromptIds(model.Tokenizer, t), cfg.N)).ToList();
            var generator = new Generator().manual_seed(cfg.Sampling.Seed);
            var stop = model.Stop(cfg.Sampling);
            for (int start = 0; start < inputs.Count; start += cfg.BatchSize)
            {
                var chunk = inputs.GetRange(start, Math.Min(cfg.BatchSize, inputs.Count - start));
                var outputs = Sampler.Generate(model.Model, chunk, cfg.Sampling, stop, generator, model.Tokenizer.PadId);
                for (int i = 0; i < outputs.Count; i++)
                {
                    int index = start + i;
                    Console.WriteLine(JsonSerializer.Serialize(new
                    {
                        prompt = texts[index / cfg.N],
                        sample = index % cfg.N,
                        completion = model.Decode(outputs[i].Tokens),
                        tokens = outputs[i].Tokens.Length,
                        truncated = outputs[i].Truncated,
                    }, CliJson.Line));
                }
            }
            return 0;
        }));
        return command;
    }
}
