using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Lineage.Store.S3;

namespace Lineage.Store.Tests.Support;

/// <summary>
/// A real S3 server process (s3rver, installed by tests/setup/s3rver.sh) on 127.0.0.1 with a free port and a
/// temporary data folder. It can be stopped and started again on the same port and data, like a MinIO pod restart.
/// </summary>
public sealed class S3rverServer : IDisposable
{
    public const string Bucket = "lineage";
    readonly string script;
    readonly string data = Directory.CreateTempSubdirectory("lineage-s3rver-").FullName;
    Process? process;

    public int Port { get; } = FreePort();
    public S3Settings Settings => new() { Endpoint = $"127.0.0.1:{Port}", Secure = false, AccessKey = "S3RVER", SecretKey = "S3RVER" };

    public S3rverServer()
    {
        script = Path.Combine(RepositoryRoot(), "tests", ".tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) Run("bash", Path.Combine(RepositoryRoot(), "tests", "setup", "s3rver.sh"));
        if (!File.Exists(script)) throw new InvalidOperationException($"{script}: s3rver is not installed; run tests/setup/s3rver.sh");
        Start();
    }

    public void Start()
    {
        if (process is { HasExited: false }) return;
        var start = new ProcessStartInfo("node", [script, "-d", data, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = Stopwatch.StartNew();
        while (!Accepts())
        {
            if (process.HasExited) throw new InvalidOperationException($"s3rver exited with {process.ExitCode} on port {Port}");
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"s3rver did not listen on {Port} within 30 s");
            Thread.Sleep(50);
        }
    }

    public void Stop()
    {
        if (process is null) return;
        if (!process.HasExited) { process.Kill(entireProcessTree: true); process.WaitForExit(); }
        process.Dispose();
        process = null;
    }

    public S3Store Store(string prefix = "", Resilience.RetryBudget? budget = null) => new(Settings, Bucket, prefix, budget);

    public void Dispose()
    {
        Stop();
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }

    bool Accepts()
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException) { return false; }
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    static void Run(string file, string argument)
    {
        using var p = Process.Start(new ProcessStartInfo(file, [argument]) { UseShellExecute = false })!;
        p.WaitForExit();
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Operator.sln above {AppContext.BaseDirectory}");
    }
}
