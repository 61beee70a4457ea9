using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lineage.Operator.Bench;

/// <summary>
/// The real <c>lineage-operator</c> (the built lineage-operator.dll next to this program) as a child process,
/// configured by a kubeconfig and flags, so its memory and CPU are measured alone.
/// </summary>
public sealed class OperatorProcess : IAsyncDisposable
{
    /// <summary>The operator processes this program started and has not disposed, for <see cref="KillAll"/>.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Running = new();

    readonly Process process;
    readonly HttpClient http;
    readonly Task<string> output;
    readonly Task<string> errors;

    OperatorProcess(Process process, Uri metrics)
    {
        this.process = process;
        Running[process.Id] = process;
        http = new HttpClient { BaseAddress = metrics, Timeout = TimeSpan.FromSeconds(10) };
        output = process.StandardOutput.ReadToEndAsync();
        errors = process.StandardError.ReadToEndAsync();
    }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>SIGKILL: no shutdown, no lease release, whatever was in flight is cut off.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: false);
    }

    /// <summary>
    /// Starts one replica: alone (no leader election), or with <paramref name="identity"/> as one of several electing a leader.
    /// <paramref name="dll"/> is the lineage-operator.dll to run (e.g. a ReadyToRun publish); default the one built next to the bench.
    /// </summary>
    public static OperatorProcess Start(string kubeconfig, string @namespace, int workers, bool? serverGc, string? identity = null, string? dll = null)
    {
        var port = FreePort();
        dll ??= Path.Combine(AppContext.BaseDirectory, "lineage-operator.dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"--operator-dll: {dll} does not exist", dll);
        string[] election = identity is null ? ["--leader-elect", "false"] : ["--leader-elect", "true", "--identity", identity, "--lease-namespace", "default"];
        var start = new ProcessStartInfo("dotnet", [dll, "--kubeconfig", kubeconfig, "--namespace", @namespace, "--workers", workers.ToString(),
            .. election, "--metrics-address", $"http://127.0.0.1:{port}",
            // The bench's store is a folder it shares with the operator (the cluster default refuses file:// stores).
            "--allow-file-storage", "true"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
            // Information logs for 1,000 objects would measure the console, not the operator.
            Environment = { ["Logging__LogLevel__Default"] = "Warning" },
        };
        foreach (var (name, value) in ImageEnvironment()) start.Environment[name] = value;
        if (serverGc is { } server) start.Environment["DOTNET_gcServer"] = server ? "1" : "0";
        return new OperatorProcess(Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet"), new Uri($"http://127.0.0.1:{port}"));
    }

    /// <summary>The runtime's DOTNET_* settings from the operator image (operator/Dockerfile's ENV lines), so the bench runs the operator as shipped.</summary>
    static IEnumerable<(string Name, string Value)> ImageEnvironment()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) dir = dir.Parent;
        var dockerfile = dir is null ? null : Path.Combine(dir.FullName, "operator", "Dockerfile");
        if (dockerfile is null || !File.Exists(dockerfile)) throw new FileNotFoundException("operator/Dockerfile not found above the bench's folder");
        foreach (var line in File.ReadLines(dockerfile))
        {
            var text = line.Trim();
            if (!text.StartsWith("ENV DOTNET_", StringComparison.Ordinal)) continue;
            var setting = text["ENV ".Length..].Split('=', 2);
            if (setting.Length == 2) yield return (setting[0].Trim(), setting[1].Trim());
        }
    }

    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"lineage-operator exited {process.ExitCode}:\n{await errors}\n{await output}");
            try
            {
                if ((await http.GetAsync("/readyz")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException("lineage-operator did not become ready");
    }

    public async Task<OperatorMetrics> MetricsAsync() => new(await http.GetStringAsync("/metrics"));

    public ProcStats Stats() => ProcStats.Read(process.Id);

    /// <summary>SIGTERM, then the exit code (0 is a graceful stop).</summary>
    public async Task<int> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString()])) await kill.WaitForExitAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return process.ExitCode;
    }

    public async Task<string> LogAsync() => (await errors) + (await output);

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>SIGKILL to every operator process still running: the bench itself is being stopped (SIGTERM, Ctrl-C).</summary>
    public static void KillAll()
    {
        foreach (var process in Running.Values)
            try { if (!process.HasExited) process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { } // exited meanwhile
    }

    public async ValueTask DisposeAsync()
    {
        Running.TryRemove(process.Id, out _);
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        http.Dispose();
    }
}
