using System.CommandLine;
using System.Text.Json;
using Lineage.Trainer.Runs;
using Spectre.Console;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`demo`: the built-in loop end to end with no arguments, then a before/after table.</summary>
static class DemoCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print the numbers as JSON instead of a table." };
        var workdir = new Option<string>("--workdir") { Description = "Where models and data go.", DefaultValueFactory = _ => Path.Combine(".lineage", "demo") };
        var sftSteps = new Option<int>("--sft-steps") { Description = "SFT steps for generation 0.", DefaultValueFactory = _ => new DemoOptions().SftSteps };
        var grpoSteps = new Option<int>("--grpo-steps") { Description = "GRPO steps on the SFT model (0 = stop after SFT).", DefaultValueFactory = _ => new DemoOptions().GrpoSteps };
        var seed = new Option<long>("--seed") { DefaultValueFactory = _ => 1 };
        var device = new Option<string?>(ConfigOptions.Device.Flag) { Description = ConfigOptions.Device.Help };
        var refineShare = new Option<double>("--refine-share") { Description = "Share of generation 0's SFT rows that demonstrate the self-refine format (0 = none).", DefaultValueFactory = _ => new DemoOptions().RefineShare };
        var command = new Command("demo", "Run the built-in loop on CPU: tasks -> SFT -> eval -> GRPO -> eval, and print a before/after table.")
        {
            json, workdir, sftSteps, grpoSteps, seed, refineShare, device,
        };
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var options = new DemoOptions { WorkDirectory = parse.GetValue(workdir)!, SftSteps = parse.GetValue(sftSteps), GrpoSteps = parse.GetValue(grpoSteps), Seed = parse.GetValue(seed),
                RefineShare = parse.GetValue(refineShare), Device = parse.GetValue(device) };
            bool asJson = parse.GetValue(json);
            var outcome = asJson
                ? new DemoPipeline(options, SilentObserver.Instance).Run(ct)
                : ConsoleObserver.Run("demo", observer => new DemoPipeline(options, observer).Run(ct));
            if (asJson) Console.WriteLine(JsonSerializer.Serialize(outcome, CliJson.Indented));
            else Print(outcome);
            return 0;
        }));
        return command;
    }

    static void Print(DemoOutcome outcome)
    {
        var table = new Table().AddColumns("stage", "greedy accuracy", "format rate", "mean length (tokens)", "seconds");
        foreach (var s in outcome.Stages)
            table.AddRow(s.Name, $"{s.Accuracy:P1}", $"{s.FormatRate:P1}", $"{s.MeanCompletionTokens:F1}", $"{s.Seconds:F0}");
        AnsiConsole.Write(table);
        if (outcome.RewardCurve.Count == 0) return;
        Console.WriteLine("GRPO mean reward per step:");
        Console.WriteLine(TextChart.Render(outcome.RewardCurve));
    }
}
