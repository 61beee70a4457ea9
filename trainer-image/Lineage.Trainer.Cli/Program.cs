using System.CommandLine;
using Lineage.Trainer.Cli.Commands;

var root = new RootCommand("lineage-trainer: SFT, GRPO, distillation, sampling and evaluation for Llama/Qwen2-family models on TorchSharp.");
foreach (var command in new[] { TasksCommand.Create(), SftCommand.Create(), GrpoCommand.Create(), SampleCommand.Create(), EvalCommand.Create(), InspectCommand.Create(), BenchCommand.Create(), DemoCommand.Create(), RewardModelCommand.Create(), DpoCommand.Create(), DistillCommand.Create(), PublishCommand.Create() })
    root.Subcommands.Add(command);
return await root.Parse(args).InvokeAsync();
