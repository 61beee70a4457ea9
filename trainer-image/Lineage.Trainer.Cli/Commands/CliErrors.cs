using Lineage.Contracts.Config;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>Expected failures (bad config, bad files, a distillation that kept no trace) print one clear line and exit 2, not a stack trace.</summary>
static class CliErrors
{
    public static Task<int> Guard(Func<int> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (Exception e) when (e is ConfigError or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or Lineage.Store.ArtifactStoreException or Distillation.EmptyTraceSet)
        {
            Console.Error.WriteLine($"lineage-trainer: {e.Message}");
            return Task.FromResult(2);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("lineage-trainer: cancelled; the last checkpoint is kept");
            return Task.FromResult(130);
        }
    }
}
