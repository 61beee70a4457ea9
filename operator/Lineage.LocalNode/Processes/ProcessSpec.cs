namespace Lineage.LocalNode.Processes;

/// <summary>A container as a local process: what to execute, with which environment, where, and where its output goes.</summary>
/// <param name="FileName">The executable (a path, or a name looked up on the container's PATH).</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="Environment">Its whole environment (nothing is inherited from the node's process).</param>
/// <param name="WorkingDirectory">Its working directory.</param>
/// <param name="LogPath">The file stdout and stderr are appended to.</param>
/// <param name="MemoryLimitBytes">Killed (OOMKilled) when the resident memory of its processes exceeds this.</param>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory,
    string LogPath,
    long? MemoryLimitBytes);
