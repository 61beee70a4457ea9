using Lineage.Contracts;
using Lineage.Contracts.Config;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>
/// Expected failures print one clear line, not a stack trace: bad input (config, files, a distillation that kept no trace)
/// exits <see cref="TrainerExitCodes.InvalidInput"/>, which the Job does not retry; a store that failed after its own
/// retries exits <see cref="TrainerExitCodes.StoreFailed"/>, which it does.
/// </summary>
static class CliErrors
{
    public static Task<int> Guard(Func<int> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (Lineage.Store.ArtifactStoreException e)
        {
            Console.Error.WriteLine($"lineage-trainer: {e.Message}");
            return Task.FromResult(TrainerExitCodes.StoreFailed);
        }
        catch (Exception e) when (e is ConfigError or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException or Distillation.EmptyTraceSet)
        {
            Console.Error.WriteLine($"lineage-trainer: {e.Message}");
            return Task.FromResult(TrainerExitCodes.InvalidInput);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("lineage-trainer: cancelled; the last checkpoint is kept");
            return Task.FromResult(TrainerExitCodes.Cancelled);
        }
    }
}
