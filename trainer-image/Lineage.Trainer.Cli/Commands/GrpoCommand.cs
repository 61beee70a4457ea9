using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`grpo`: improve a policy with group-relative policy optimisation on the configured rewards.</summary>
static class GrpoCommand
{
    public static Command Create()
    {
        var command = new Command("grpo", "GRPO: sample G completions per prompt, score them with the rewards, and push the policy toward the better ones.");
        var config = new ConfigOptions(command,
            ("--policy", "policy", "Model directory to improve"),
            ("--output", "output", "Where the trained model directory goes"),
            ("--task", "data.task", "Built-in task: addition, multiplication, countdown"),
            ("--digits", "data.digits", "Operand digits (addition, multiplication)"),
            ("--data", "data.path", "JSONL file of problems (instead of --task)"),
            ("--steps", "steps", "GRPO steps"),
            ("--num-generations", "numGenerations", "G, completions per prompt"),
            ("--prompts-per-step", "promptsPerStep", "Prompts per step"),
            ("--learning-rate", "optim.learningRate", "Peak learning rate"),
            ("--beta", "beta", "KL coefficient (0 = no reference model)"),
            ("--loss-type", "lossType", "grpo, bnpo, dapo or dr_grpo"),
            ("--temperature", "sampling.temperature", "Rollout temperature"),
            ("--max-new-tokens", "sampling.maxNewTokens", "Completion budget"),
            ("--eval-every", "evalEvery", "Greedy eval on held-out problems every N steps"),
            ("--seed", "seed", "Seed for data order and sampling"),
            ConfigOptions.Device);
        var small = new Option<bool>("--small-model-defaults") { Description = "Start from the tuned defaults for the built-in small models (GrpoConfig.ForSmallModels); the file and flags still override." };
        command.Options.Add(small);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var cfg = parse.GetValue(small) ? config.LoadOnto<GrpoConfig>(parse, ConfigLoader.ToYaml(GrpoConfig.ForSmallModels("", ""))) : config.Load<GrpoConfig>(parse);
            var outcome = ConsoleObserver.Run("grpo", observer => new GrpoRun(cfg, observer, ConsoleObserver.Interactive ? null : Console.Out).Run(ct));
            var summary = new Dictionary<string, object>
            {
                ["model"] = outcome.ModelDirectory,
                ["steps"] = outcome.Steps,
                ["seconds"] = Math.Round(outcome.Seconds, 1),
                ["firstReward"] = outcome.RewardCurve.Count > 0 ? Math.Round(outcome.RewardCurve[0], 4) : 0,
                ["lastReward"] = outcome.RewardCurve.Count > 0 ? Math.Round(outcome.RewardCurve[^1], 4) : 0,
            };
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
