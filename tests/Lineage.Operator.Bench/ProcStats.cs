using System.Globalization;

namespace Lineage.Operator.Bench;

/// <summary>A process's memory and CPU as Linux reports them in /proc/&lt;pid&gt;.</summary>
public sealed record ProcStats(long PeakRssBytes, long RssBytes, double CpuSeconds)
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/&lt;pid&gt;/stat (100 on every Linux ABI .NET runs on).</summary>
    const double ClockTicksPerSecond = 100;

    public static ProcStats Read(int pid)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        long Kb(string field) => long.Parse(status.Single(l => l.StartsWith(field + ":", StringComparison.Ordinal))[(field.Length + 1)..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture) * 1024;
        // Fields after the command name (which may hold spaces) start at state; utime and stime are the 14th and 15th fields.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return new ProcStats(Kb("VmHWM"), Kb("VmRSS"), ticks / ClockTicksPerSecond);
    }

    public static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
