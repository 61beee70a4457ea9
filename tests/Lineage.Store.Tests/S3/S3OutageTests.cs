using System.Diagnostics;
using System.Security.Cryptography;
using Lineage.Contracts.Store;
using Lineage.Store.Publication;
using Lineage.Store.Resilience;
using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.S3;

/// <summary>The S3 server goes away and comes back (a MinIO pod restart); each test owns its server process.</summary>
public sealed class S3OutageTests : IDisposable
{
    readonly S3rverServer server = new();
    readonly TemporaryDirectory local = new();
    readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));
    static readonly RetryBudget Quick = new() { FirstDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1), Total = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task Server_restarted_mid_upload_is_retried_and_nothing_is_lost()
    {
        using var store = server.Store("restart", Quick);
        string file = local.Combine("weights.bin");
        await File.WriteAllBytesAsync(file, SampleFolders.Bytes(40 << 20, seed: 3), timeout.Token);   // three 16 MiB parts
        int opens = 0;
        Task? restart = null;

        await store.WriteAsync("ckpt/weights.bin", () =>
        {
            var source = File.OpenRead(file);
            return ++opens > 1 ? source : new TrippingStream(source, afterBytes: 20 << 20, () =>
            {
                server.Stop();
                restart = Task.Run(async () => { await Task.Delay(1500); server.Start(); });
            });
        }, timeout.Token);

        Assert.True(opens >= 2, $"the upload should have been retried from a reopened file (opened {opens}x)");
        await restart!;
        Assert.Equal(Sha256(File.ReadAllBytes(file)), await Sha256Of(store, "ckpt/weights.bin"));
        Assert.Equal([new StoredObject("ckpt/weights.bin", 40 << 20)], await store.ListAsync("ckpt/", timeout.Token));
    }

    [Fact]
    public async Task A_publication_and_a_download_ride_out_a_short_outage()
    {
        using var store = server.Store("outage", Quick);
        string source = SampleFolders.Checkpoint(local.Path, "src", step: 4);
        server.Stop();
        var restart = Task.Run(async () => { await Task.Delay(1000); server.Start(); });
        await store.PublishAsync(source, "gen/checkpoints/step-4", 4, "test", timeout.Token);
        await restart;

        server.Stop();
        restart = Task.Run(async () => { await Task.Delay(1000); server.Start(); });
        await store.DownloadAsync("gen/checkpoints/step-4", local.Combine("copy"), timeout.Token);
        await restart;
        SampleFolders.AssertSameFiles(source, local.Combine("copy"));
    }

    [Fact]
    public async Task An_outage_longer_than_the_budget_fails_naming_the_object()
    {
        using var store = server.Store("down", Quick with { Total = TimeSpan.FromSeconds(1.5) });
        server.Stop();
        var clock = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.WriteAsync("x/progress.json", new MemoryStream([1, 2, 3]), timeout.Token));

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(15));
        Assert.Contains($"s3://{S3rverServer.Bucket}/down/x/progress.json", error.Message);
        Assert.Contains("attempts", error.Message);
    }

    static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    async Task<string> Sha256Of(IArtifactStore store, string key)
    {
        await using var stream = (await store.OpenReadAsync(key, timeout.Token))!;
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, timeout.Token));
    }

    public void Dispose()
    {
        timeout.Dispose();
        local.Dispose();
        server.Dispose();
    }
}
