using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`sft`: supervised fine-tuning in the think format.</summary>
static class SftCommand
{
    public static Command Create()
    {
        var command = new Command("sft", "Supervised fine-tuning on think-format completions (loss on completion tokens only).");
        var config = new ConfigOptions(command,
            ("--model", "model", "Model directory or store URI to start from (default: a fresh built-in small model)"),
            ("--output", "output", "Where the trained model goes: a path or s3://bucket/<lineage>/<generation>/model"),
            ("--task", "train.task", "Built-in task: addition, multiplication, countdown"),
            ("--steps", "steps", "Optimizer steps"),
            ("--seed", "seed", "Seed for data, init and sampling"),
            ConfigOptions.Device);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var cfg = config.Load<SftConfig>(parse);
            var outcome = ConsoleObserver.Run("sft", observer => new SftRun(cfg, observer, ConsoleObserver.Interactive ? null : Console.Out).Run(ct));
            var summary = new Dictionary<string, object> { ["model"] = outcome.ModelDirectory, ["steps"] = outcome.Steps, ["seconds"] = Math.Round(outcome.Seconds, 1) };
            if (outcome.FinalEval is { } e)
            {
                summary["accuracy"] = e.Summary.Accuracy;
                summary["formatRate"] = e.Summary.FormatRate;
                summary["meanCompletionTokens"] = Math.Round(e.MeanCompletionTokens, 2);
            }
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return 0;
        }));
        return command;
    }
}
