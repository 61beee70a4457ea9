using System.Globalization;

namespace Lineage.LocalNode.Processes;

/// <summary>
/// One process as /proc/&lt;pid&gt;/stat describes it: its group, session, start time (clock ticks since boot, which
/// together with the pid and the boot id names a process for good: pids are reused, start times are not) and
/// resident memory.
/// </summary>
internal sealed record ProcStat(int Pid, int ProcessGroup, int Session, long StartTicks, long ResidentPages)
{
    static readonly long PageSize = Environment.SystemPageSize;

    public long ResidentBytes => ResidentPages * PageSize;

    public static ProcStat? Read(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return Parse(pid, text);
    }

    /// <summary>Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'.</summary>
    public static ProcStat? Parse(int pid, string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0) return null;
        var fields = text[(close + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (state): group is field 5, session 6, start time 22, rss 24.
        if (fields.Length < 22) return null;
        return new ProcStat(pid,
            int.Parse(fields[2], CultureInfo.InvariantCulture),
            int.Parse(fields[3], CultureInfo.InvariantCulture),
            long.Parse(fields[19], CultureInfo.InvariantCulture),
            long.Parse(fields[21], CultureInfo.InvariantCulture));
    }

    /// <summary>Every process whose session is <paramref name="session"/> (a container's processes: it was started in a session of its own).</summary>
    public static IReadOnlyList<ProcStat> InSession(int session)
    {
        var found = new List<ProcStat>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (Read(pid) is { } stat && stat.Session == session) found.Add(stat);
        }
        return found;
    }

    public static string BootId()
    {
        try { return File.ReadAllText("/proc/sys/kernel/random/boot_id").Trim(); }
        catch (IOException) { return ""; }
    }
}
