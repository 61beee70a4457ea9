using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`rm`: train a Bradley–Terry reward model on preference pairs and report held-out pairwise accuracy.</summary>
static class RewardModelCommand
{
    public static Command Create()
    {
        var command = new Command("rm", "Train a reward model (scalar head, Bradley-Terry loss) on preference pairs; reports held-out pairwise accuracy.");
        var config = new ConfigOptions(command,
            ("--model", "model", "Backbone to start from: a causal LM or reward model directory (default: a fresh built-in small model)"),
            ("--output", "output", "Where the reward model directory goes"),
            ("--pairs", "pairs", "JSONL preference pairs: prompt, chosen, rejected"),
            ("--task", "task.task", "Build pairs from a built-in task instead: addition, multiplication, countdown"),
            ("--steps", "steps", "Optimizer steps"),
            ("--seed", "seed", "Seed for data, init and the head"),
            ConfigOptions.Device);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var cfg = config.Load<RewardModelConfig>(parse);
            var outcome = ConsoleObserver.Run("rm", observer => new RewardModelRun(cfg, observer, ConsoleObserver.Interactive ? null : Console.Out).Run(ct));
            var summary = new Dictionary<string, object>
            {
                ["model"] = outcome.ModelDirectory,
                ["steps"] = outcome.Steps,
                ["seconds"] = Math.Round(outcome.Seconds, 1),
                ["heldOutPairs"] = outcome.HeldOut.Pairs,
                ["pairwiseAccuracy"] = outcome.HeldOut.Accuracy,
                ["meanMargin"] = Math.Round(outcome.HeldOut.MeanMargin, 4),
            };
            if (outcome.InitialHeldOut is { } initial) summary["initialPairwiseAccuracy"] = initial.Accuracy;
            Console.WriteLine(JsonSerializer.Serialize(summary));
            return 0;
        }));
        return command;
    }
}
