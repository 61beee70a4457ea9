using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Lineage.Store.Bench;

/// <summary>s3rver (installed by tests/setup/s3rver.sh) on 127.0.0.1, data in <paramref name="dataDirectory"/>.</summary>
sealed class S3rverProcess : IDisposable
{
    readonly Process process;
    public int Port { get; }

    public S3rverProcess(string repositoryRoot, string dataDirectory, string bucket)
    {
        string script = Path.Combine(repositoryRoot, "tests", ".tools", "s3rver", "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script)) throw new FileNotFoundException($"{script}: run tests/setup/s3rver.sh first", script);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        process = Process.Start(new ProcessStartInfo("node", [script, "-d", dataDirectory, "-a", "127.0.0.1", "-p", Port.ToString(), "--silent", "--configure-bucket", bucket])
        { UseShellExecute = false })!;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try { using var c = new TcpClient(); c.Connect(IPAddress.Loopback, Port); return; }
            catch (SocketException) { Thread.Sleep(50); }
        }
        throw new TimeoutException("s3rver did not start");
    }

    public TimeSpan ProcessorTime { get { process.Refresh(); return process.TotalProcessorTime; } }

    public double PeakMegabytes()
    {
        foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) return double.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
        return double.NaN;
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }
}
