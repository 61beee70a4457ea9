namespace Lineage.LocalNode.Processes;

/// <summary>How a container ended, as the kubelet reports it in <c>state.terminated</c>.</summary>
/// <param name="ExitCode">The exit code; 128 + n when killed by signal n.</param>
/// <param name="Reason">Completed, Error, OOMKilled, or ContainerStatusUnknown when its end was not seen.</param>
/// <param name="Message">The termination message (the container's own, or its log tail).</param>
/// <param name="FinishedAt">When it ended.</param>
public sealed record ContainerExit(int ExitCode, string Reason, string? Message, DateTime FinishedAt)
{
    public const string Completed = "Completed";
    public const string Error = "Error";
    public const string OomKilled = "OOMKilled";
    public const string StatusUnknown = "ContainerStatusUnknown";

    public static string ReasonFor(int exitCode, bool oomKilled) => oomKilled ? OomKilled : exitCode == 0 ? Completed : Error;
}
