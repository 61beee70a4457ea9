namespace Lineage.Trainer.Benchmarks;

/// <summary>Resident and peak memory from /proc/self/status (native libtorch allocations included, unlike the GC's view).</summary>
public static class ProcessMemory
{
    public static long ResidentBytes() => Read("VmRSS:") ?? Environment.WorkingSet;
    public static long PeakResidentBytes() => Read("VmHWM:") ?? Environment.WorkingSet;

    static long? Read(string field)
    {
        const string status = "/proc/self/status";
        if (!File.Exists(status)) return null;
        foreach (var line in File.ReadLines(status))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line[field.Length..].Trim().Split(' ')[0]) * 1024;
        return null;
    }
}
