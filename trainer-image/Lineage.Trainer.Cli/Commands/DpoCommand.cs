using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`dpo`: preference optimization against a frozen reference, on file pairs or pairs the policy samples and a reward ranks.</summary>
static class DpoCommand
{
    public static Command Create()
    {
        var command = new Command("dpo", "Direct Preference Optimization (sigmoid loss, frozen reference) on pairs from a file or built on the fly by sampling and ranking with any reward.");
        var small = new Option<bool>("--small-model-defaults") { Description = "Start from the tuned defaults for the built-in small models (DpoConfig.ForSmallModels); the file and flags still override." };
        command.Options.Add(small);
        var config = new ConfigOptions(command,
            ("--policy", "policy", "Policy model directory to improve"),
            ("--output", "output", "Where the trained model directory goes"),
            ("--pairs", "pairs", "JSONL preference pairs: prompt, chosen, rejected"),
            ("--task", "data.task", "Build pairs on the fly from a built-in task's prompts: addition, multiplication, countdown"),
            ("--steps", "steps", "Optimizer steps"),
            ("--seed", "seed", "Seed for data order and sampling"),
            ConfigOptions.Device);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var cfg = parse.GetValue(small) ? config.LoadOnto<DpoConfig>(parse, ConfigLoader.ToYaml(DpoConfig.ForSmallModels("", ""))) : config.Load<DpoConfig>(parse);
            var outcome = ConsoleObserver.Run("dpo", observer => new DpoRun(cfg, observer, ConsoleObserver.Interactive ? null : Console.Out).Run(ct));
            var summary = new Dictionary<string, object>
            {
                ["model"] = outcome.ModelDirectory, ["steps"] = outcome.Steps, ["seconds"] = Math.Round(outcome.Seconds, 1),
                ["pairs"] = outcome.Pairs, ["tiedPrompts"] = outcome.TiedPrompts,
            };
            if (outcome.InitialEval is { } before) summary["initialAccuracy"] = before.Summary.Accuracy;
            if (outcome.FinalEval is { } after)
            {
                summary["accuracy"] = after.Summary.Accuracy;
                summary["formatRate"] = after.Summary.FormatRate;
                summary["meanCompletionTokens"] = Math.Round(after.MeanCompletionTokens, 2);
            }
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return 0;
        }));
        return command;
    }
}
