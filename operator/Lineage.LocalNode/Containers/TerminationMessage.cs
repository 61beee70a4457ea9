using System.Text;

namespace Lineage.LocalNode.Containers;

/// <summary>
/// A terminated container's message, as the kubelet reads it: the file at its terminationMessagePath (at most
/// 4096 bytes); when that is empty, the policy is FallbackToLogsOnError and the container failed, the tail of its
/// log: the last 80 lines, at most the last 2048 bytes of them.
/// </summary>
public static class TerminationMessage
{
    public const int MaxFileBytes = 4096;
    public const int MaxLogLines = 80;
    public const int MaxLogBytes = 2048;

    public static string? Read(string messageFile, string logFile, string? policy, int exitCode)
    {
        var own = ReadHead(messageFile, MaxFileBytes);
        if (!string.IsNullOrEmpty(own)) return own;
        if (policy == "FallbackToLogsOnError" && exitCode != 0) return LogTail(logFile);
        return null;
    }

    public static string? LogTail(string logFile)
    {
        if (!File.Exists(logFile)) return null;
        using var stream = new FileStream(logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        // 80 lines are rarely longer than this; the 2 KiB cap below applies anyway.
        var window = (int)Math.Min(stream.Length, 256 * 1024);
        stream.Seek(-window, SeekOrigin.End);
        var buffer = new byte[window];
        stream.ReadExactly(buffer);
        return Tail(buffer);
    }

    /// <summary>The last 80 lines of <paramref name="log"/>, then at most its last 2048 bytes.</summary>
    public static string Tail(byte[] log)
    {
        var end = log.Length;
        var start = end;
        var lines = 0;
        // A final newline ends the last line; it does not start another.
        var scan = end > 0 && log[end - 1] == '\n' ? end - 1 : end;
        while (scan > 0)
        {
            if (log[scan - 1] == '\n' && ++lines == MaxLogLines) break;
            scan--;
        }
        start = scan;
        if (end - start > MaxLogBytes) start = end - MaxLogBytes;
        return Encoding.UTF8.GetString(log, start, end - start);
    }

    static string? ReadHead(string path, int max)
    {
        if (!File.Exists(path)) return null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var buffer = new byte[Math.Min(max, (int)Math.Min(stream.Length, max))];
        var read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }
}
