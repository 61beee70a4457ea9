using System.Diagnostics;

namespace Lineage.Store.Bench;

/// <summary>CPU seconds spent by this process and by the S3 server during one phase: where the time goes on 2 shared cores.</summary>
readonly record struct CpuTime(TimeSpan Client, TimeSpan Server)
{
    public static CpuTime Of(S3rverProcess server) => new(Process.GetCurrentProcess().TotalProcessorTime, server.ProcessorTime);

    public string Since(S3rverProcess server)
    {
        var now = Of(server);
        return $"client {(now.Client - Client).TotalSeconds:F1} s, s3rver {(now.Server - Server).TotalSeconds:F1} s";
    }
}
