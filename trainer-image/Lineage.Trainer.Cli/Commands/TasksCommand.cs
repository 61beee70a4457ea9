using System.CommandLine;
using Lineage.Contracts.Config;
using Lineage.Trainer.Tasks;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`tasks`: write a built-in task's problems (with reasoning traces) as JSONL.</summary>
static class TasksCommand
{
    public static Command Create()
    {
        var command = new Command("tasks", "Generate verifiable problems (addition, multiplication, countdown) as JSONL: prompt, answer, reasoning.");
        var output = new Option<string?>("--out", "-o") { Description = "JSONL file to write (default: standard output)." };
        command.Options.Add(output);
        var config = new ConfigOptions(command,
            ("--task", "task", "addition, multiplication or countdown"),
            ("--split", "split", "train or test (disjoint)"),
            ("--count", "count", "How many problems"),
            ("--digits", "digits", "Operand digits (addition, multiplication)"),
            ("--seed", "seed", "Generator seed"));
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var data = config.Load<DataConfig>(parse);
            var problems = ProblemSet.Load(data);
            if (parse.GetValue(output) is { } path)
            {
                ProblemSet.WriteJsonl(path, problems);
                Console.Error.WriteLine($"wrote {problems.Count} {data.Task ?? "dataset"} problems ({data.Split}) to {path}");
            }
            else
            {
                var temp = Path.GetTempFileName();
                ProblemSet.WriteJsonl(temp, problems);
                Console.Write(File.ReadAllText(temp));
                File.Delete(temp);
            }
            return 0;
        }));
        return command;
    }
}
