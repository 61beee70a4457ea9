namespace Lineage.LocalNode.Processes;

/// <summary>Finds and kills what remains of a container process, also after the node that started it has gone.</summary>
internal static class Leftovers
{
    /// <summary>
    /// Whether the process the record names still runs: same boot, same pid, same start time (a reused pid has a
    /// later start time).
    /// </summary>
    public static bool IsAlive(ProcessRecord record) =>
        record.Pid > 0 && record.BootId == ProcStat.BootId() && ProcStat.Read(record.Pid) is { } stat && stat.StartTicks == record.StartTicks;

    /// <summary>Processes still in the record's session (its descendants), started no earlier than it; empty after a reboot.</summary>
    public static IReadOnlyList<ProcStat> Members(ProcessRecord record) =>
        record.Pid <= 0 || record.BootId != ProcStat.BootId()
            ? []
            : ProcStat.InSession(record.Pid).Where(p => p.StartTicks >= record.StartTicks).ToList();

    /// <summary>
    /// SIGTERM to the record's processes, SIGKILL to whatever is left after <paramref name="grace"/>; returns once
    /// none remain (or after a further few seconds). Returns how many processes were found.
    /// </summary>
    public static async Task<int> KillAsync(ProcessRecord record, TimeSpan grace, CancellationToken ct)
    {
        var found = Members(record);
        if (found.Count == 0) return 0;
        foreach (var p in found) Signals.ToProcess(p.Pid, Signals.Term);
        var deadline = DateTime.UtcNow + grace;
        while (DateTime.UtcNow < deadline && Members(record).Count > 0) await Task.Delay(50, ct).ConfigureAwait(false);
        foreach (var p in Members(record)) Signals.ToProcess(p.Pid, Signals.Kill);
        var gone = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < gone && Members(record).Count > 0) await Task.Delay(20, ct).ConfigureAwait(false);
        return found.Count;
    }

    /// <summary>SIGKILL to every process still in the session <paramref name="session"/>.</summary>
    public static void KillSession(int session)
    {
        foreach (var p in ProcStat.InSession(session)) Signals.ToProcess(p.Pid, Signals.Kill);
    }
}
