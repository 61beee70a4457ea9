using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Processes;

/// <summary>
/// A container's process. It runs in a session (and process group) of its own, made by setsid(1), so a signal
/// reaches everything it started; its stdout and stderr go straight to the log file, so its output does not
/// depend on the node staying alive. It waits at a gate until the node has recorded its pid and start time
/// (<see cref="Start"/>): if the node dies before that, the gate's pipe closes and the process exits without
/// doing any work, so no container runs that the node could not find again.
/// </summary>
internal sealed class ContainerProcess : IDisposable
{
    const string Gate = "IFS= read -r go || exit 125; [ \"$go\" = run ] || exit 125; log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";
    static readonly TimeSpan MemoryPollInterval = TimeSpan.FromSeconds(1);

    readonly Process process;
    readonly ILogger log;
    readonly TaskCompletionSource<(int ExitCode, bool OomKilled)> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CancellationTokenSource watching = new();
    int terminating;
    volatile bool oomKilled;

    ContainerProcess(Process process, long startTicks, ILogger log)
    {
        this.process = process;
        this.log = log;
        StartTicks = startTicks;
    }

    public int Pid => process.Id;
    public long StartTicks { get; }

    /// <summary>Completes with the exit code (128 + n when killed by signal n) and whether the node killed it for exceeding its memory limit.</summary>
    public Task<(int ExitCode, bool OomKilled)> Exited => exited.Task;

    /// <summary>
    /// Starts the process held at its gate, calls <paramref name="started"/> with its pid and start time (the
    /// caller records them durably), then opens the gate.
    /// </summary>
    public static ContainerProcess Start(ProcessSpec spec, Action<int, long> started, ILogger log)
    {
        var info = new ProcessStartInfo(Setsid)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = spec.WorkingDirectory,
        };
        foreach (var argument in (string[])["/bin/sh", "-c", Gate, "lineage-container", spec.LogPath, spec.FileName, .. spec.Arguments])
            info.ArgumentList.Add(argument);
        info.Environment.Clear();
        foreach (var (name, value) in spec.Environment) info.Environment[name] = value;

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {Setsid}");
        ContainerProcess? container = null;
        try
        {
            var stat = ReadStat(process.Id);
            container = new ContainerProcess(process, stat?.StartTicks ?? 0, log);
            started(process.Id, container.StartTicks);
            process.StandardInput.WriteLine("run");
            process.StandardInput.Close();
        }
        catch
        {
            // The gate never opens: closing its pipe makes the process exit before it runs anything.
            process.StandardInput.Close();
            process.WaitForExit();
            process.Dispose();
            throw;
        }
        container.Watch(spec.MemoryLimitBytes);
        return container;
    }

    /// <summary>
    /// SIGTERM to every process of the container, SIGKILL after <paramref name="grace"/> if it has not exited.
    /// Only the first call acts.
    /// </summary>
    public void Terminate(TimeSpan grace)
    {
        if (Interlocked.Exchange(ref terminating, 1) != 0) return;
        Signal(Signals.Term);
        _ = Task.Run(async () =>
        {
            if (await Task.WhenAny(exited.Task, Task.Delay(grace)).ConfigureAwait(false) != exited.Task)
            {
                log.LogInformation("container pid {Pid} did not stop within {Grace}; killing it", Pid, grace);
                Signal(Signals.Kill);
            }
        });
    }

    /// <summary>SIGKILL to every process of the container at once.</summary>
    public void Kill() => Signal(Signals.Kill);

    void Signal(int signal)
    {
        if (exited.Task.IsCompleted) return;
        Signals.ToGroup(Pid, signal);
    }

    void Watch(long? memoryLimit)
    {
        _ = Task.Run(async () =>
        {
            await process.WaitForExitAsync().ConfigureAwait(false);
            watching.Cancel();
            var code = process.ExitCode;
            // Like a container runtime: when the main process ends, whatever it left behind in its session ends too.
            Leftovers.KillSession(Pid);
            exited.TrySetResult((code, oomKilled));
        });
        if (memoryLimit is not { } limit) return;
        _ = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(MemoryPollInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(watching.Token).ConfigureAwait(false))
                {
                    var resident = ProcStat.InSession(Pid).Sum(p => p.ResidentBytes);
                    if (resident <= limit) continue;
                    log.LogInformation("container pid {Pid} uses {Resident} bytes, over its limit of {Limit}: killed (OOMKilled)", Pid, resident, limit);
                    oomKilled = true;
                    Signal(Signals.Kill);
                    return;
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    static ProcStat? ReadStat(int pid)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            if (ProcStat.Read(pid) is { } stat) return stat;
            Thread.Sleep(1);
        }
        return null;
    }

    static string Setsid => File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid";

    public void Dispose()
    {
        watching.Cancel();
        watching.Dispose();
        process.Dispose();
    }
}
