using System.CommandLine;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Devices;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>`eval`: a metric's score (greedy, maj@k, pass@k, best-of-k, self-refine, judge), answer-format rate, and what the strategy spent, as JSON.</summary>
static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate a model on held-out problems; prints eval/result.json (and writes it with --output).");
        var config = new ConfigOptions(command,
            ("--model", "model", "Model directory or store URI (s3://bucket/…/model)"),
            ("--task", "data.task", "Built-in task"),
            ("--count", "data.count", "Number of problems"),
            ("--metric", "metric", "greedy, majority, passAtK, judge (needs judge.*), bestOfN (needs ranker.*), selfRefine"),
            ("--k", "k", "Samples per problem for majority / passAtK / bestOfN"),
            ("--rounds", "rounds", "selfRefine: critique-and-revise rounds"),
            ("--output", "output", "Where to write result.json (a path or s3://bucket/…/eval/result.json)"),
            ConfigOptions.Device);
        command.SetAction((parse, ct) => CliErrors.Guard(() =>
        {
            var cfg = config.Load<EvalConfig>(parse);
            using var model = PretrainedModel.Load(ModelLocation.Materialize(cfg.Model, ct), ComputeDevice.Resolve(cfg.Device));
            var (result, _) = EvalRunner.Evaluate(cfg, model);
            var json = ContractJson.Serialize(result);
            if (!string.IsNullOrEmpty(cfg.Output)) ResultFile.Write(cfg.Output, result, ct);
            Console.WriteLine(json);
            return 0;
        }));
        return command;
    }
}
