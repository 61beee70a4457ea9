using System.Diagnostics;
using System.Text.RegularExpressions;
using Lineage.Contracts.Store;
using Lineage.Local.Tests.Support;
using Lineage.Store.Publication;
using Lineage.Store.Tests.Support;

namespace Lineage.Local.Tests;

/// <summary>
/// The data-plane faults of the chaos benchmark, one at a time, on the real lineage-trainer process with an s3:// output
/// on a real s3rver process behind a proxy that sees each upload in flight: the trainer SIGKILLed halfway through a
/// checkpoint's upload, the S3 server stopped halfway through one, a byte flipped in a published checkpoint and in a
/// published model. Every resumed run must end with the weights of the uninterrupted one (the runs are seeded).
/// </summary>
public sealed class TrainerStoreFaultTests : IClassFixture<TrainerStoreFaultTests.Store>
{
    const int Steps = 30;
    readonly Store store;

    public TrainerStoreFaultTests(Store store) => this.store = store;

    [Fact]
    public async Task Killed_halfway_through_a_checkpoint_upload_it_resumes_from_the_last_complete_checkpoint_with_the_same_weights()
    {
        var run = store.Run("killed-upload");
        var exit = await run.UntilExitAsync(r => r.Method == "PUT" && r.Path.Contains("/killed-upload/checkpoints/step-15/"), run.Kill);
        Assert.NotEqual(0, exit);

        // The cut checkpoint is not visible; the one before it is what a new process resumes from.
        Assert.Equal(10, (await store.S3.LatestCheckpointAsync(new StoreLayout("faults", "killed-upload"), default))?.Step);
        var again = await store.Run("killed-upload").UntilExitAsync();
        Assert.True(again == 0, store.Output("killed-upload"));
        Assert.Matches(@"resuming from \S+step-10 at step 10", store.Output("killed-upload"));
        Assert.Equal(await store.ReferenceWeightsAsync(), await store.WeightsAsync("killed-upload"));
    }

    [Fact]
    public async Task The_S3_server_stopped_halfway_through_a_checkpoint_upload_and_started_again_the_run_completes_with_the_same_weights()
    {
        Task restart = Task.CompletedTask;
        var exit = await store.Run("s3-restart").UntilExitAsync(r => r.Method == "PUT" && r.Path.Contains("/s3-restart/checkpoints/step-10/"), () =>
        {
            store.Server.Stop();
            restart = Task.Run(async () => { await Task.Delay(2000); store.Server.Start(); });
        });
        await restart;
        Assert.True(exit == 0, store.Output("s3-restart"));
        Assert.DoesNotContain("resuming from", store.Output("s3-restart"));
        Assert.Equal(await store.ReferenceWeightsAsync(), await store.WeightsAsync("s3-restart"));
    }

    [Fact]
    public async Task A_flipped_byte_in_the_newest_checkpoint_is_refused_by_its_sha256_and_the_run_resumes_from_the_one_before_with_the_same_weights()
    {
        var run = store.Run("flipped-checkpoint");
        Assert.NotEqual(0, await run.UntilExitAsync(r => r.Method == "PUT" && r.Path.Contains("/flipped-checkpoint/checkpoints/step-25/"), run.Kill));
        var layout = new StoreLayout("faults", "flipped-checkpoint");
        Assert.Equal(20, (await store.S3.LatestCheckpointAsync(layout, default))?.Step);
        var flipped = await store.FlipByteAsync(layout.Checkpoint(20) + "/model.safetensors");

        var again = await store.Run("flipped-checkpoint").UntilExitAsync();
        var output = store.Output("flipped-checkpoint");
        Assert.True(again == 0, output);
        Assert.Contains($"checkpoint s3://{S3rverServer.Bucket}/{layout.Checkpoint(20)} not used: s3://{S3rverServer.Bucket}/{flipped}: sha256 ", output);
        Assert.Contains("(corrupted); trying the one before it", output);
        Assert.Matches(@"resuming from \S+step-15 at step 15", output);
        Assert.Equal(await store.ReferenceWeightsAsync(), await store.WeightsAsync("flipped-checkpoint"));
    }

    [Fact]
    public async Task A_flipped_byte_in_a_published_model_is_refused_by_its_sha256_and_nothing_is_evaluated()
    {
        await store.ReferenceWeightsAsync();
        var copy = "flipped-model";
        await store.S3.PublishAsync(await store.DownloadReferenceAsync(), new StoreLayout("faults", copy).Model, Steps, "test", default);
        var flipped = await store.FlipByteAsync(new StoreLayout("faults", copy).Model + "/model.safetensors");

        var eval = TrainerBadInputTests.Trainer.Run(["eval", "--model", $"s3://{S3rverServer.Bucket}/{new StoreLayout("faults", copy).Model}", "--count", "2"], store.Environment);

        Assert.Equal(2, eval.ExitCode);
        Assert.Matches($@"^lineage-trainer: s3://{S3rverServer.Bucket}/{Regex.Escape(flipped)}: sha256 [0-9a-f]{{64}} does not match its manifest's [0-9a-f]{{64}} \(corrupted\)", eval.Stderr);
        Assert.DoesNotContain("accuracy", eval.Stdout);
    }

    /// <summary>One s3rver process and the proxy before it for the class, and the uninterrupted reference run.</summary>
    public sealed class Store : IDisposable
    {
        public S3rverServer Server { get; } = new();
        public S3Proxy Proxy { get; }
        public Lineage.Store.S3.S3Store S3 { get; }
        readonly string folder = Directory.CreateTempSubdirectory("lineage-store-faults").FullName;
        Task<string>? reference;

        public Store()
        {
            Proxy = new S3Proxy(Server.Port);
            Proxy.Start();
            S3 = Server.Store();
        }

        public Dictionary<string, string> Environment => new()
        {
            ["LINEAGE_S3_ENDPOINT"] = $"http://127.0.0.1:{Proxy.Port}", ["LINEAGE_S3_ACCESS_KEY"] = "S3RVER", ["LINEAGE_S3_SECRET_KEY"] = "S3RVER",
        };

        /// <summary>The uninterrupted run's model.safetensors sha256 (run once, on first use).</summary>
        public Task<string> ReferenceWeightsAsync() => reference ??= Task.Run(async () =>
        {
            var exit = await Run("reference").UntilExitAsync();
            if (exit != 0) throw new InvalidOperationException($"the reference run exited {exit}:\n{Output("reference")}");
            return (await WeightsAsync("reference"))!;
        });

        public async Task<string> DownloadReferenceAsync()
        {
            var target = Path.Combine(folder, "reference-copy");
            if (!Directory.Exists(target)) await S3.DownloadAsync(new StoreLayout("faults", "reference").Model, target, default);
            return target;
        }

        public async Task<string?> WeightsAsync(string name) =>
            (await S3.ReadAsync(new StoreLayout("faults", name).Model, default))?.Manifest.Files.Single(f => f.Path == "model.safetensors").Sha256;

        /// <summary>Rewrites the object with one bit of one byte flipped (same size); returns its key.</summary>
        public async Task<string> FlipByteAsync(string key)
        {
            var bytes = new MemoryStream();
            await using (var stream = (await S3.OpenReadAsync(key, default))!) await stream.CopyToAsync(bytes);
            var flipped = bytes.ToArray();
            flipped[flipped.Length / 3] ^= 0x10;
            await S3.WriteAsync(key, new MemoryStream(flipped), default);
            return key;
        }

        /// <summary>
        /// A tiny seeded SFT (the base generation's distill-from-demonstrations command) of 30 steps, a checkpoint every 5
        /// (the newest 3 kept), to s3://lineage/faults/NAME/model through the proxy; each run of a name appends to its log.
        /// </summary>
        public TrainerRun Run(string name)
        {
            var config = Path.Combine(folder, name + ".yaml");
            File.WriteAllText(config, $$"""
                demonstrations: {task: addition, digits: 1, count: 256}
                init: {hiddenSize: 64, numHiddenLayers: 2, numAttentionHeads: 4, numKeyValueHeads: 2, intermediateSize: 128, maxPositionEmbeddings: 128}
                output: s3://{{S3rverServer.Bucket}}/faults/{{name}}/model
                evalProblems: 0
                sftSteps: {{Steps}}
                batchSize: 8
                maxSeqLen: 64
                optim: {learningRate: 3.0e-3}
                checkpointEvery: 5
                keepCheckpoints: 3
                logEvery: 1
                """);
            var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { Repo.TrainerDll, "distill", "--config", config }) start.ArgumentList.Add(arg);
            foreach (var (key, value) in Environment) start.Environment[key] = value;
            // Each run of a name is a new pod: its own cache, so it resumes from the store, never from a local copy.
            start.Environment["LINEAGE_CACHE_DIR"] = Directory.CreateDirectory(Path.Combine(folder, "cache-" + Guid.NewGuid().ToString("N"))).FullName;
            return new TrainerRun(this, start, Path.Combine(folder, name + ".log"));
        }

        public string Output(string name) => File.Exists(Path.Combine(folder, name + ".log")) ? File.ReadAllText(Path.Combine(folder, name + ".log")) : "";

        public void Dispose()
        {
            Proxy.DisposeAsync().AsTask().GetAwaiter().GetResult();
            S3.Dispose();
            Server.Dispose();
            try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>A lineage-trainer process; while it runs, the proxy calls back in the middle of the PUT it was told to watch.</summary>
    public sealed class TrainerRun(Store store, ProcessStartInfo start, string log)
    {
        Process? process;

        public void Kill() => process!.Kill();

        public async Task<int> UntilExitAsync(Func<ProxiedRequest, bool>? when = null, Action? then = null)
        {
            int fired = 0;
            store.Proxy.MidBody = when is null ? null : request =>
            {
                if (when(request) && Interlocked.Exchange(ref fired, 1) == 0) then!();
                return Task.CompletedTask;
            };
            try
            {
                process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
                await process.WaitForExitAsync(timeout.Token);
                await File.AppendAllTextAsync(log, $"--- exit {process.ExitCode}\n{await stdout}{await stderr}");
                if (when is not null) Assert.True(fired == 1, $"the watched upload never happened:\n{await stdout}{await stderr}");
                return process.ExitCode;
            }
            finally
            {
                store.Proxy.MidBody = null;
                if (process is { HasExited: false }) process.Kill();
            }
        }
    }
}
