using System.Runtime;

namespace Lineage.Operator.Bench;

/// <summary>
/// The bench process's own collections, GC pause and JIT time, read from the runtime: with its CPU they say how much of
/// the API server's and Job player's cost is the runtime's rather than the work's.
/// </summary>
readonly record struct BenchGc(int Gen0, int Gen1, int Gen2, TimeSpan Pause, TimeSpan Jit, long JitMethods)
{
    public static BenchGc Now() => new(GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
        GC.GetTotalPauseDuration(), JitInfo.GetCompilationTime(), JitInfo.GetCompiledMethodCount());

    public static BenchGc operator -(BenchGc a, BenchGc b) =>
        new(a.Gen0 - b.Gen0, a.Gen1 - b.Gen1, a.Gen2 - b.Gen2, a.Pause - b.Pause, a.Jit - b.Jit, a.JitMethods - b.JitMethods);

    public override string ToString() =>
        $"gen0 {Gen0}, gen1 {Gen1}, gen2 {Gen2}; GC pauses {Pause.TotalSeconds:F2} s; JIT {Jit.TotalSeconds:F2} s for {JitMethods} methods";
}
