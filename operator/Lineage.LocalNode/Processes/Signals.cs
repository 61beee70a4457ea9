using System.Runtime.InteropServices;

namespace Lineage.LocalNode.Processes;

/// <summary>kill(2): signals to a process, or to a whole process group (a negative id).</summary>
internal static class Signals
{
    public const int Term = 15;
    public const int Kill = 9;
    const int NoSuchProcess = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SysKill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to every process of the group; false when the group has no process left.</summary>
    public static bool ToGroup(int processGroup, int signal) => Send(-processGroup, signal);

    public static bool ToProcess(int pid, int signal) => Send(pid, signal);

    static bool Send(int target, int signal)
    {
        if (SysKill(target, signal) == 0) return true;
        var error = Marshal.GetLastPInvokeError();
        if (error == NoSuchProcess) return false;
        throw new InvalidOperationException($"kill({target}, {signal}) failed with errno {error}");
    }
}
