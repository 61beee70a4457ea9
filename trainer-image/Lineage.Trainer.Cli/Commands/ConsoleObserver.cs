using Lineage.Trainer.Evaluation;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Training;
using Spectre.Console;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>A progress bar on a terminal; nothing extra when output is redirected (metrics go out as JSON lines).</summary>
sealed class ConsoleObserver : IRunObserver
{
    ProgressTask? task;

    public static bool Interactive => !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="work"/> under a live progress bar when interactive, plainly otherwise.</summary>
    public static T Run<T>(string title, Func<IRunObserver, T> work)
    {
        var observer = new ConsoleObserver();
        if (!Interactive) return work(observer);
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                observer.task = ctx.AddTask(title, autoStart: true, maxValue: 1);
                result = work(observer);
            });
        return result;
    }

    public void Started(string kind, long fromStep, long totalSteps)
    {
        if (task is null) return;
        task.MaxValue = totalSteps;
        task.Value = fromStep;
    }

    public void Step(StepMetrics m, long totalSteps)
    {
        if (task is null) return;
        task.Value = m.Step + 1;
        task.Description = m.Extra.TryGetValue("reward", out double reward)
            ? $"step {m.Step + 1}/{totalSteps} reward {reward:F3} acc {m.Extra.GetValueOrDefault("accuracy"):P0} len {m.Extra.GetValueOrDefault("completionLength"):F0} {m.TokensPerSecond:F0} tok/s"
            : $"step {m.Step + 1}/{totalSteps} loss {m.Loss:F4} lr {m.LearningRate:G3} {m.TokensPerSecond:F0} tok/s";
    }

    public void Evaluated(long step, EvalRun eval)
    {
        if (task is null) Console.Error.WriteLine($"eval at step {step}: accuracy {eval.Summary.Accuracy:P1}, format {eval.Summary.FormatRate:P1}");
        else AnsiConsole.MarkupLine($"[grey]eval at step {step}:[/] accuracy [bold]{eval.Summary.Accuracy:P1}[/], format {eval.Summary.FormatRate:P1}");
    }

    public void Note(string message) => Console.Error.WriteLine(message);
}
