using System.Diagnostics;
using Lineage.Store;
using Lineage.Store.Bench;
using Lineage.Store.Publication;
using Lineage.Store.S3;

// dotnet run --project trainer-image/Lineage.Store.Bench -c Release -- [--size-gb 2] [--dir /tmp]
// A checkpoint folder (one large weights file + small files) is copied with a plain file copy, then published to
// and downloaded from s3rver on the same disk (sha256 computed and verified on the way). Prints MB/s and peak RSS.
double sizeGb = 2;
string baseDir = Path.GetTempPath();
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--size-gb") sizeGb = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
    if (args[i] == "--dir") baseDir = args[i + 1];
}
string root = Repository.Root();
string work = Directory.CreateDirectory(Path.Combine(baseDir, $"lineage-store-bench-{Environment.ProcessId}")).FullName;
try
{
    string source = Path.Combine(work, "source");
    long bytes = Checkpoint.Write(source, (long)(sizeGb * (1L << 30)));
    double mb = bytes / 1e6;
    Console.WriteLine($"checkpoint: {mb:F0} MB in {Directory.GetFiles(source).Length} files, disk: {work}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");

    PeakMemory.Reset();
    var clock = Stopwatch.StartNew();
    Checkpoint.PlainCopy(source, Path.Combine(work, "copy"));
    double copySeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"plain copy:  {mb / copySeconds,8:F1} MB/s  ({copySeconds:F1} s, peak RSS {PeakMemory.PeakMegabytes():F0} MB)");
    Directory.Delete(Path.Combine(work, "copy"), recursive: true);

    Directory.CreateDirectory(Path.Combine(work, "s3rver"));
    using var server = new S3rverProcess(root, Path.Combine(work, "s3rver"), "bench");
    using var store = new S3Store(new S3Settings { Endpoint = $"127.0.0.1:{server.Port}", Secure = false, AccessKey = "S3RVER", SecretKey = "S3RVER" }, "bench");

    PeakMemory.Reset();
    var cpu = CpuTime.Of(server);
    clock.Restart();
    await store.PublishAsync(source, "math/gen-1/checkpoints/step-100", 100, "bench", CancellationToken.None);
    double upSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"s3 upload:   {mb / upSeconds,8:F1} MB/s  ({upSeconds:F1} s, {100 * copySeconds / upSeconds:F0} % of plain copy, peak RSS {PeakMemory.PeakMegabytes():F0} MB)");
    Console.WriteLine($"             cpu: {cpu.Since(server)}");

    PeakMemory.Reset();
    cpu = CpuTime.Of(server);
    clock.Restart();
    await store.DownloadAsync("math/gen-1/checkpoints/step-100", Path.Combine(work, "download"), CancellationToken.None);
    double downSeconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"s3 download: {mb / downSeconds,8:F1} MB/s  ({downSeconds:F1} s, {100 * copySeconds / downSeconds:F0} % of plain copy, peak RSS {PeakMemory.PeakMegabytes():F0} MB)");
    Console.WriteLine($"             cpu: {cpu.Since(server)}");
    Console.WriteLine($"s3rver peak RSS: {server.PeakMegabytes():F0} MB; load average now {LoadAverage()}");
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
