namespace Lineage.Store.Bench;

/// <summary>Peak resident set size of this process (VmHWM), resettable between phases through /proc/self/clear_refs.</summary>
static class PeakMemory
{
    public static void Reset()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public static double PeakMegabytes() => Field("VmHWM:");

    static double Field(string name)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(name, StringComparison.Ordinal))
                return double.Parse(line[name.Length..].Trim().Split(' ')[0]) / 1024.0;
        return double.NaN;
    }
}
