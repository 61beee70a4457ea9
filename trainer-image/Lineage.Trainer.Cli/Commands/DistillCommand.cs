using System.CommandLine;
using System.Text.Json;
using Lineage.Contracts.Config;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`distill`: a teacher's test-time compute (or a dataset's demonstrations) distilled into a student by SFT.</summary>
static class DistillCommand
{
    public static Command Create()
    {
        var command = new Command("distill",
            "Distil test-time compute: the teacher answers the prompts with a strategy (selfConsistency, bestOfN, selfRefine), " +
            "the filter keeps traces (verified, consistency, judgeScore, none), the student is fine-tuned on them and scored against the teacher.");
        var config = new ConfigOptions(command,
            ("--teacher", "teacher", "Teacher model directory or store URI"),
            ("--student", "student", "Student to fine-tune (default: the teacher)"),
            ("--output", "output", "Where the student goes: a path or s3://bucket/<lineage>/<generation>/model"),
            ("--strategy", "testTime.strategy", "greedy, selfConsistency, bestOfN or selfRefine"),
            ("--samples", "testTime.samples", "Samples per prompt (N)"),
            ("--filter", "filter", "verified, consistency, judgeScore or none"),
            ("--sft-steps", "sftSteps", "Fine-tuning steps on the kept traces"),
            ("--seed", "seed", "Seed for sampling and the data order"),
            ConfigOptions.Device);
        var small = new Option<bool>("--small-model-defaults") { Description = "Start from the tuned defaults for the built-in small models (DistillConfig.ForSmallModels); the file and flags still override." };
        command.Options.Add(small);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var cfg = parse.GetValue(small) ? config.LoadOnto<DistillConfig>(parse, ConfigLoader.ToYaml(DistillConfig.ForSmallModels("", ""))) : config.Load<DistillConfig>(parse);
            var outcome = ConsoleObserver.Run("distill", observer => new DistillRun(cfg, observer, ConsoleObserver.Interactive ? null : Console.Out).Run(ct));
            var t = outcome.Traces;
            var summary = new Dictionary<string, object?>
            {
                ["model"] = outcome.ModelDirectory,
                ["steps"] = outcome.Steps,
                ["seconds"] = Math.Round(outcome.Seconds, 1),
                ["trainSeconds"] = Math.Round(outcome.TrainSeconds, 1),
                ["teacherSeconds"] = Math.Round(t.Seconds, 1),
                ["tracesReused"] = outcome.TracesReused,
                ["tracesGenerated"] = t.TracesGenerated,
                ["tracesKept"] = t.TracesKept,
                ["promptAccuracy"] = t.PromptAccuracy,
                ["teacherAccuracy"] = t.TeacherAccuracy,
                ["teacherAccuracyWithStrategy"] = t.TeacherAccuracyWithStrategy,
                ["studentAccuracy"] = outcome.StudentAccuracy,
                ["internalisation"] = outcome.Internalisation,
            };
            Console.WriteLine(JsonSerializer.Serialize(summary.Where(kv => kv.Value is not null).ToDictionary(), CliJson.Line));
            return 0;
        }));
        return command;
    }
}
