using System.CommandLine;
using Lineage.Contracts.Config;
using Lineage.Trainer.Preferences;
using Lineage.Trainer.Rewards;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>
/// `tasks`: write a built-in task's problems (with reasoning traces) as JSONL; with --pairs, preference
/// pairs for `rm` and `dpo`; with --judgments, SFT rows that teach a small model to judge.
/// </summary>
static class TasksCommand
{
    public static Command Create()
    {
        var command = new Command("tasks", "Generate verifiable problems (addition, multiplication, countdown) as JSONL: prompt, answer, reasoning.");
        var output = new Option<string?>("--out", "-o") { Description = "JSONL file to write (default: standard output)." };
        command.Options.Add(output);
        var pairs = new Option<bool>("--pairs") { Description = "Write preference pairs (prompt, chosen = correct trace, rejected = wrong answer or broken format) instead." };
        var judgments = new Option<bool>("--judgments") { Description = "Write judge SFT rows (prompt = principles + problem + candidate, reasoning = critique, answer = score) instead." };
        var maxScore = new Option<int>("--max-score") { Description = "Judgments: top of the score scale.", DefaultValueFactory = _ => 10 };
        command.Options.Add(pairs);
        command.Options.Add(judgments);
        command.Options.Add(maxScore);
        var config = new ConfigOptions(command,
            ("--task", "task", "addition, multiplication or countdown"),
            ("--split", "split", "train or test (disjoint)"),
            ("--count", "count", "How many problems"),
            ("--digits", "digits", "Operand digits (addition, multiplication)"),
            ("--seed", "seed", "Generator seed"));
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var data = config.Load<DataConfig>(parse);
            if (parse.GetValue(pairs) && parse.GetValue(judgments)) throw new ConfigError("--pairs and --judgments: choose one");
            var problems = ProblemSet.Load(data);
            string what = "problems";
            Action<string> write = path => ProblemSet.WriteJsonl(path, problems);
            if (parse.GetValue(pairs))
            {
                what = "preference pairs";
                write = path => PreferencePairFile.Write(path, SyntheticPairs.From(problems, data.Seed));
            }
            else if (parse.GetValue(judgments))
            {
                what = "judgments";
                write = path => ProblemSet.WriteJsonl(path, SyntheticJudgments.From(problems, JudgePrompt.DefaultPrinciples, parse.GetValue(maxScore), data.Seed));
            }
            if (parse.GetValue(output) is { } file)
            {
                write(file);
                Console.Error.WriteLine($"wrote {problems.Count} {data.Task ?? "dataset"} {what} ({data.Split}) to {file}");
            }
            else
            {
                var temp = Path.GetTempFileName();
                write(temp);
                Console.Write(File.ReadAllText(temp));
                File.Delete(temp);
            }
            return 0;
        }));
        return command;
    }
}
