using System.Runtime.InteropServices;

namespace Lineage.Trainer.Training;

/// <summary>
/// glibc keeps freed native memory in per-thread arenas, and libtorch's tensors of changing shapes fragment
/// them: RSS creeps up with no tensor alive (the bench counts them). Handing free pages back now and then
/// keeps it flat. A no-op where glibc's malloc_trim does not exist.
/// </summary>
static partial class NativeHeap
{
    static bool unavailable = !OperatingSystem.IsLinux();

    /// <summary>
    /// Runs pending finalizers first: TorchSharp's Scalars and other small native handles outside dispose
    /// scopes are freed only there, and the managed heap is too small for the GC to come by on its own.
    /// </summary>
    public static void Trim()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        if (unavailable) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { unavailable = true; }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);
}
