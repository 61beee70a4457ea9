using System.Diagnostics;
using k8s;

namespace Lineage.Local.Tests.Support;

/// <summary>
/// One `lineage-operator local` process on a data folder, as a user starts it; its output is kept in files. Several runs
/// on the same folder are restarts of the same local cluster.
/// </summary>
sealed class LocalRun : IAsyncDisposable
{
    readonly Process process;
    readonly string output;

    LocalRun(Process process, string output)
    {
        this.process = process;
        this.output = output;
    }

    public static LocalRun Start(string data, params string[] args)
    {
        Directory.CreateDirectory(data);
        var output = Path.Combine(data, $"run-{DateTime.UtcNow:HHmmssfff}.out");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, Environment = { ["OUT"] = output } };
        // exec: the shell becomes the operator, so the pid the test kills is the operator's own.
        foreach (var arg in new[] { "-c", "exec \"$@\" >\"$OUT\" 2>&1", "sh", "dotnet", Repo.OperatorDll, "local", "--data", data, "--trainer", Repo.TrainerDll }.Concat(args))
            start.ArgumentList.Add(arg);
        return new LocalRun(Process.Start(start) ?? throw new InvalidOperationException("cannot start lineage-operator local"), output);
    }

    public int Pid => process.Id;
    public string Output => File.Exists(output) ? File.ReadAllText(output) : "";

    /// <summary>The kubeconfig the run wrote, once the API server is up.</summary>
    public static async Task<Kubernetes> ClientAsync(string data, TimeSpan timeout)
    {
        var path = Path.Combine(data, "kubeconfig");
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path))
            {
                var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(path));
                try
                {
                    await client.CoreV1.ListNamespaceAsync();
                    return client;
                }
                catch (HttpRequestException)
                {
                    client.Dispose();
                }
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"no API server at {path} after {timeout}");
    }

    public async Task<int> ExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try { await process.WaitForExitAsync(cts.Token); }
        catch (OperationCanceledException) { throw new TimeoutException($"lineage-operator local did not finish within {timeout}; output:\n{Output}"); }
        return process.ExitCode;
    }

    /// <summary>SIGKILL, as an out-of-memory killer or a power cut would: no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        process.Kill(entireProcessTree: false);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as Ctrl-C or a service manager would: a clean stop.</summary>
    public Task StopAsync()
    {
        Process.Start("kill", ["-TERM", process.Id.ToString()])!.WaitForExit();
        return process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        process.Dispose();
    }
}
