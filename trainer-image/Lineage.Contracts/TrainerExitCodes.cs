namespace Lineage.Contracts;

/// <summary>
/// What the trainer's exit code tells the Job that runs it. The operator's Job renderer turns these into a pod
/// failure policy: a run that rejected its input fails at once (a new pod would read the same input), a run that
/// could not reach the store is retried like any other failure.
/// </summary>
public static class TrainerExitCodes
{
    /// <summary>The run finished.</summary>
    public const int Success = 0;
    /// <summary>Bad input: the config, a dataset line, a model file or a trace set; the message names the field or file. Not retried.</summary>
    public const int InvalidInput = 2;
    /// <summary>The artifact store failed after its own retries (unreachable, refused credentials). Retried by the Job.</summary>
    public const int StoreFailed = 3;
    /// <summary>Stopped by SIGINT/SIGTERM; the last checkpoint is kept (128 + SIGINT).</summary>
    public const int Cancelled = 130;
}
