using System.Diagnostics;
using System.Text;

namespace Lineage.EmbeddedApiServer.Tests.Kubectl;

/// <summary>
/// The real kubectl binary: <c>LINEAGE_KUBECTL</c> if set (e.g. Debian's kubernetes-client 1.20 unpacked
/// somewhere), else the first <c>kubectl</c> on PATH. Each call gets its own kubeconfig and cache directory.
/// </summary>
internal sealed class Kubectl(string kubeconfig, string cacheDirectory)
{
    public static readonly string? Binary = Find();

    /// <summary>
    /// Whether this kubectl leaves field validation to the server (kubectl ≥ 1.27 sends fieldValidation=Strict when
    /// the server's OpenAPI v3 declares it); older ones validate client-side against OpenAPI v2 or not at all.
    /// </summary>
    public static readonly bool ValidatesOnServer = MinorVersion() >= 27;

    private static int MinorVersion()
    {
        if (Binary is null) return 0;
        using var process = Process.Start(new ProcessStartInfo(Binary, ["version", "--client"]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var match = System.Text.RegularExpressions.Regex.Match(text, @"v1\.(\d+)\.");
        return match.Success ? int.Parse(match.Groups[1].Value) : 0;
    }

    private static string? Find()
    {
        if (Environment.GetEnvironmentVariable("LINEAGE_KUBECTL") is { Length: > 0 } given) return File.Exists(given) ? given : null;
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, "kubectl")).FirstOrDefault(File.Exists);
    }

    public async Task<KubectlResult> RunAsync(params string[] args) => await RunAsync(args, TimeSpan.FromSeconds(60));

    public async Task<KubectlResult> RunAsync(string[] args, TimeSpan timeout)
    {
        using var process = Start(args);
        using var cancel = new CancellationTokenSource(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cancel.Token);
        var stderr = process.StandardError.ReadToEndAsync(cancel.Token);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kubectl {string.Join(' ', args)} did not finish in {timeout}");
        }
        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Starts kubectl for commands that stream (get -w, logs -f); the caller reads and ends it.</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Binary ?? throw new InvalidOperationException("no kubectl"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        info.ArgumentList.Add("--cache-dir");
        info.ArgumentList.Add(cacheDirectory);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("KUBECONFIG");
        return Process.Start(info)!;
    }
}

internal sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    public KubectlResult Succeeded()
    {
        Assert.True(ExitCode == 0, $"kubectl failed ({ExitCode}): {Output}");
        return this;
    }

    public KubectlResult Failed()
    {
        Assert.True(ExitCode != 0, $"kubectl succeeded but should not have: {Output}");
        return this;
    }
}

/// <summary>A test that runs the real kubectl; skipped, saying why, only when no kubectl binary is found.</summary>
internal sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute()
    {
        if (Kubectl.Binary is null) Skip = "no kubectl on PATH (and LINEAGE_KUBECTL not set): install kubectl or Debian's kubernetes-client";
    }
}
