using System.Text;
using Lineage.Contracts.Store;
using Lineage.Store.Cache;
using Lineage.Store.Publication;
using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.Contract;

/// <summary>What every store backend promises the trainer and the operator; run against S3 (s3rver) and the filesystem.</summary>
public abstract class StoreContract : IDisposable
{
    protected readonly TemporaryDirectory Local = new();
    static readonly StoreLayout Layout = new("math", "gen-3");
    protected abstract IArtifactStore Store { get; }
    readonly CancellationTokenSource timeout = new(TimeSpan.FromMinutes(2));
    protected CancellationToken Ct => timeout.Token;

    [Fact]
    public async Task Multi_file_checkpoint_round_trips_byte_for_byte_with_its_manifest()
    {
        // 12 MB crosses the 5 MiB multipart threshold on S3.
        string source = SampleFolders.Checkpoint(Local.Path, "src", step: 40, largeBytes: 12 << 20);
        var published = await Store.PublishAsync(source, Layout.Checkpoint(40), 40, "sft-test", Ct);

        var read = await Store.ReadAsync(Layout.Checkpoint(40), Ct);
        Assert.NotNull(read);
        Assert.Equal(published.ManifestSha256, read.ManifestSha256);
        Assert.Equal(40, read.Step);
        Assert.Equal("sft-test", read.Manifest.Creator);
        Assert.Equal(["config.json", "model.safetensors", "tokenizer/tokenizer.json", "trainer_state.json"], read.Manifest.Files.Select(f => f.Path));
        Assert.Equal(12 << 20, read.Manifest.Files.Single(f => f.Path == "model.safetensors").Size);

        string copy = Local.Combine("copy");
        await Store.DownloadAsync(Layout.Checkpoint(40), copy, Ct);
        SampleFolders.AssertSameFiles(source, copy);
        Assert.True(File.Exists(Path.Combine(copy, StoreLayout.ManifestFile)));
    }

    [Fact]
    public async Task One_corrupted_byte_fails_the_download_naming_the_file()
    {
        string source = SampleFolders.Checkpoint(Local.Path, "src", step: 5);
        await Store.PublishAsync(source, Layout.Model, 5, "test", Ct);
        var weights = File.ReadAllBytes(Path.Combine(source, "model.safetensors"));
        weights[54_321] ^= 0x01;
        await Store.WriteAsync($"{Layout.Model}/model.safetensors", new MemoryStream(weights), Ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.DownloadAsync(Layout.Model, Local.Combine("copy"), Ct));
        Assert.Contains("model/model.safetensors", error.Message);
        Assert.Contains("sha256", error.Message);
        Assert.False(File.Exists(Local.Combine("copy", "model.safetensors")));
    }

    [Fact]
    public async Task A_truncated_file_fails_the_download_on_its_size()
    {
        string source = SampleFolders.Checkpoint(Local.Path, "src", step: 5);
        await Store.PublishAsync(source, Layout.Model, 5, "test", Ct);
        await Store.WriteAsync($"{Layout.Model}/config.json", new MemoryStream("{}"u8.ToArray()), Ct);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.DownloadAsync(Layout.Model, Local.Combine("copy"), Ct));
        Assert.Contains("model/config.json", error.Message);
        Assert.Contains("bytes", error.Message);
    }

    [Fact]
    public async Task An_upload_killed_before_its_manifest_leaves_no_visible_checkpoint()
    {
        await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, "s1", 1), Layout.Checkpoint(1), 1, "test", Ct);
        var dying = new CrashingStore(Store, writesBeforeCrash: 3);   // 4 files + manifest: dies before the 4th file
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.PublishAsync(SampleFolders.Checkpoint(Local.Path, "s2", 2), Layout.Checkpoint(2), 2, "test", Ct));

        Assert.NotEmpty(await Store.ListAsync(Layout.Checkpoint(2) + "/", Ct));   // the partial files are really there
        Assert.Null(await Store.ReadAsync(Layout.Checkpoint(2), Ct));
        Assert.Equal([1L], (await Store.ListCheckpointsAsync(Layout, Ct)).Select(c => c.Step));
        Assert.Equal(1, (await Store.LatestCheckpointAsync(Layout, Ct))!.Step);
        await Assert.ThrowsAsync<ArtifactStoreException>(() => Store.DownloadAsync(Layout.Checkpoint(2), Local.Combine("copy"), Ct));
    }

    [Fact]
    public async Task Republishing_hides_the_old_manifest_before_touching_its_files()
    {
        await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, "a", 7), Layout.Checkpoint(7), 7, "test", Ct);
        var dying = new CrashingStore(Store, writesBeforeCrash: 1);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => dying.PublishAsync(SampleFolders.Checkpoint(Local.Path, "b", 8), Layout.Checkpoint(7), 7, "test", Ct));

        Assert.Null(await Store.ReadAsync(Layout.Checkpoint(7), Ct));
    }

    [Fact]
    public async Task Latest_checkpoint_is_the_highest_step_with_a_valid_manifest()
    {
        foreach (long step in new long[] { 1, 2, 10 })
            await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, $"s{step}", step), Layout.Checkpoint(step), step, "test", Ct);
        // step-11: files but no manifest; step-12: malformed manifest; step-13: a listed file is missing; step-14: a size differs.
        await new CrashingStore(Store, 2).PublishAsync(SampleFolders.Checkpoint(Local.Path, "s11", 11), Layout.Checkpoint(11), 11, "test", Ct).ContinueWith(_ => { });
        await Store.WriteAsync($"{Layout.Checkpoint(12)}/config.json", new MemoryStream("{}"u8.ToArray()), Ct);
        await Store.WriteAsync($"{Layout.Checkpoint(12)}/manifest.json", new MemoryStream("{\"files\": [ "u8.ToArray()), Ct);
        await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, "s13", 13), Layout.Checkpoint(13), 13, "test", Ct);
        await Store.DeleteAsync($"{Layout.Checkpoint(13)}/trainer_state.json", Ct);
        await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, "s14", 14), Layout.Checkpoint(14), 14, "test", Ct);
        await Store.WriteAsync($"{Layout.Checkpoint(14)}/config.json", new MemoryStream("{\"step\": 14, \"x\": 1}"u8.ToArray()), Ct);

        Assert.Equal([1L, 2, 10], (await Store.ListCheckpointsAsync(Layout, Ct)).Select(c => c.Step));
        var latest = await Store.LatestCheckpointAsync(Layout, Ct);
        Assert.Equal(10, latest!.Step);
        Assert.Equal(Layout.Checkpoint(10), latest.Prefix);
        Assert.Null(await Store.LatestCheckpointAsync(new StoreLayout("math", "gen-never"), Ct));
    }

    [Fact]
    public async Task Retention_keeps_the_last_K_checkpoints_and_a_newer_unfinished_upload()
    {
        foreach (long step in new long[] { 1, 2, 3, 4, 5 })
            await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, $"s{step}", step), Layout.Checkpoint(step), step, "test", Ct);
        await new CrashingStore(Store, 2).PublishAsync(SampleFolders.Checkpoint(Local.Path, "s6", 6), Layout.Checkpoint(6), 6, "test", Ct).ContinueWith(_ => { });

        var deleted = await Store.PruneCheckpointsAsync(Layout, keep: 2, Ct);

        Assert.Equal([1L, 2, 3], deleted);
        Assert.Equal([4L, 5], (await Store.ListCheckpointsAsync(Layout, Ct)).Select(c => c.Step));
        Assert.Empty(await Store.ListAsync(Layout.Checkpoint(1) + "/", Ct));
        Assert.NotEmpty(await Store.ListAsync(Layout.Checkpoint(6) + "/", Ct));
    }

    [Fact]
    public async Task Deleting_a_promoted_generation_keeps_its_model_and_nothing_else()
    {
        await PopulateGeneration(Layout);
        var other = Layout with { Generation = "gen-30" };   // shares the "gen-3" prefix as a string: must survive
        await PopulateGeneration(other);

        await Store.DeleteGenerationAsync(Layout, keepModel: true, Ct);

        var left = (await Store.ListAsync(Layout.Root + "/", Ct)).Select(o => o.Key).ToList();
        Assert.All(left, k => Assert.StartsWith(Layout.Model + "/", k));
        Assert.NotNull(await Store.ReadAsync(Layout.Model, Ct));
        Assert.Null(await Store.ReadProgressAsync(Layout, Ct));
        Assert.NotNull(await Store.ReadProgressAsync(other, Ct));

        await Store.DeleteGenerationAsync(Layout, keepModel: false, Ct);
        Assert.Empty(await Store.ListAsync(Layout.Root + "/", Ct));
        Assert.NotNull(await Store.ReadAsync(other.Model, Ct));
    }

    [Fact]
    public async Task Progress_and_eval_result_read_as_the_operator_reads_them()
    {
        Assert.Null(await Store.ReadProgressAsync(Layout, Ct));
        Assert.Null(await Store.ReadEvalResultAsync(Layout, Ct));

        var progress = new Progress { Kind = "grpo", Step = 120, TotalSteps = 500, Metrics = new Dictionary<string, double> { ["reward"] = 0.625 }, LastCheckpoint = Layout.Checkpoint(100), UpdatedAt = DateTimeOffset.UnixEpoch };
        await Store.WriteJsonAsync(Layout.Progress, progress, Ct);
        await Store.WriteAsync(Layout.EvalResult, new MemoryStream(Encoding.UTF8.GetBytes("{\"model\":\"s3://b/math/gen-3/model\",\"metric\":\"greedy\",\"problems\":200,\"score\":0.41}")), Ct);

        var read = await Store.ReadProgressAsync(Layout, Ct);
        Assert.Equal(120, read!.Step);
        Assert.Equal(500, read.TotalSteps);
        Assert.Equal(0.625, read.Metrics["reward"]);
        Assert.Equal(Layout.Checkpoint(100), read.LastCheckpoint);
        var eval = await Store.ReadEvalResultAsync(Layout, Ct);
        Assert.Equal(0.41, eval!.Score);
        Assert.Equal(200, eval.Problems);

        await Store.WriteAsync(Layout.Progress, new MemoryStream("{\"step\": \"many\"}"u8.ToArray()), Ct);
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ReadProgressAsync(Layout, Ct));
        Assert.Contains("math/gen-3/progress.json", error.Message);
    }

    [Fact]
    public async Task A_small_read_returns_the_exact_bytes_and_refuses_an_object_over_its_limit()
    {
        var bytes = Enumerable.Range(0, 40_000).Select(i => (byte)(i * 7)).ToArray();
        await Store.WriteAsync("small/blob.bin", new MemoryStream(bytes, writable: false), Ct);

        Assert.Equal(bytes, await Store.ReadSmallAsync("small/blob.bin", bytes.Length, Ct));
        Assert.Null(await Store.ReadSmallAsync("small/missing.bin", 10, Ct));
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => Store.ReadSmallAsync("small/blob.bin", bytes.Length - 1, Ct));
        Assert.Contains("small/blob.bin", error.Message);
    }

    [Fact]
    public async Task The_model_cache_downloads_a_published_folder_once()
    {
        string source = SampleFolders.Checkpoint(Local.Path, "src", step: 9);
        var cache = new ModelCache(Local.Combine("cache"));
        await Store.PublishAsync(source, Layout.Model, 9, "test", Ct);

        string first = await cache.MaterializeAsync(Store, Layout.Model, Ct);
        SampleFolders.AssertSameFiles(source, first);
        // Remove a weight file from the store: a second load must not need it.
        await Store.DeleteAsync($"{Layout.Model}/model.safetensors", Ct);
        string second = await cache.MaterializeAsync(Store, Layout.Model, Ct);

        Assert.Equal(first, second);
        Assert.StartsWith(cache.Directory, first);
        SampleFolders.AssertSameFiles(source, second);
    }

    [Fact]
    public async Task Listing_is_by_prefix_in_key_order()
    {
        await Store.WriteAsync("a/b/2.txt", new MemoryStream([2]), Ct);
        await Store.WriteAsync("a/b/10.txt", new MemoryStream([1, 0]), Ct);
        await Store.WriteAsync("a/bc/x.txt", new MemoryStream([3]), Ct);

        var listed = await Store.ListAsync("a/b/", Ct);

        Assert.Equal([new StoredObject("a/b/10.txt", 2), new StoredObject("a/b/2.txt", 1)], listed);
        Assert.Null(await Store.OpenReadAsync("a/b/missing.txt", Ct));
        await Store.DeleteAsync("a/b/missing.txt", Ct);   // deleting what is gone is fine
    }

    async Task PopulateGeneration(StoreLayout layout)
    {
        await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, $"{layout.Generation}-m", 3), layout.Model, 3, "test", Ct);
        await Store.PublishAsync(SampleFolders.Checkpoint(Local.Path, $"{layout.Generation}-c", 3), layout.Checkpoint(3), 3, "test", Ct);
        await Store.WriteJsonAsync(layout.Progress, new Progress { Kind = "sft", Step = 3 }, Ct);
        await Store.WriteJsonAsync(layout.EvalResult, new EvalResult { Score = 0.5 }, Ct);
    }

    public virtual void Dispose()
    {
        timeout.Dispose();
        Local.Dispose();
    }
}
