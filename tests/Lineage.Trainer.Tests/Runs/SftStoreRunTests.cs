using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Store;
using Lineage.Store.Publication;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Tests.Runs;

/// <summary>
/// An SFT run whose output is an s3:// URI on a real S3 server: checkpoints, progress.json and the model are
/// published in the store layout; a fresh pod (empty local disk) resumes from the store; the model loads back by URI.
/// </summary>
[Collection(StoreEnvironmentCollection.Name)]
public sealed class SftStoreRunTests : IDisposable
{
    readonly S3RunEnvironment s3 = new();
    readonly StoreLayout layout = new("math", $"gen-{Guid.NewGuid():N}"[..12]);

    string Uri(string key) => s3.Uri(key);

    static SftConfig Tiny(string output, int steps, int saveEvery) => new()
    {
        Output = output,
        Init = new ModelInit { HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128 },
        Train = new DataConfig { Task = "addition", Digits = 2, Count = 200 },
        Optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 2 },
        Steps = steps, BatchSize = 8, MaxSeqLen = 64, SaveEvery = saveEvery, LogEvery = 1, Seed = 7,
    };

    sealed class Notes : IRunObserver
    {
        public List<string> Seen { get; } = [];
        public void Note(string message) => Seen.Add(message);
    }

    [Fact]
    public async Task A_run_to_a_store_uri_publishes_checkpoints_progress_and_model_and_a_fresh_pod_resumes_from_the_store()
    {
        using var store = s3.Server.Store();
        s3.Pod("pod-1");
        new SftRun(Tiny(Uri(layout.Model), steps: 4, saveEvery: 1), SilentObserver.Instance).Run();

        Assert.Equal([2L, 3], (await store.ListCheckpointsAsync(layout, default)).Select(c => c.Step).TakeLast(2));
        Assert.True((await store.ListCheckpointsAsync(layout, default)).Count <= 3);
        var progress = await store.ReadProgressAsync(layout, default);
        Assert.True(progress!.Done);
        Assert.Equal(4, progress.Step);
        Assert.Equal(Uri(layout.Checkpoint(3)), progress.LastCheckpoint);
        var model = await store.ReadAsync(layout.Model, default);
        Assert.Equal(4, model!.Step);
        Assert.Contains(model.Manifest.Files, f => f.Path == "model.safetensors");

        // A new pod: nothing on its disk; the run continues from the store's latest checkpoint (step 3) to 6.
        string pod2 = s3.Pod("pod-2");
        var notes = new Notes();
        var outcome = new SftRun(Tiny(Uri(layout.Model), steps: 6, saveEvery: 0) with { Resume = true }, notes).Run();
        Assert.Equal(3, outcome.Steps);
        Assert.Contains(notes.Seen, n => n.Contains("step-3") && n.Contains("at step 3"));
        Assert.Equal(6, (await store.ReadAsync(layout.Model, default))!.Step);

        // The model loads back by URI (downloaded once into the cache), with the weights that were published.
        string local = ModelLocation.Materialize(Uri(layout.Model));
        Assert.StartsWith(pod2, local);
        using var loaded = PretrainedModel.Load(local);
        string trained = Path.Combine(Directory.GetDirectories(Path.Combine(pod2, "runs")).Single(), "model", "model.safetensors");
        Assert.Equal(File.ReadAllBytes(trained), File.ReadAllBytes(Path.Combine(local, "model.safetensors")));

        // eval by URI writes eval/result.json to the store, where the operator's read finds it.
        var eval = new EvalConfig { Model = Uri(layout.Model), Data = new DataConfig { Task = "addition", Digits = 2, Split = "test", Count = 4 }, Sampling = new SamplingConfig { MaxNewTokens = 16 } };
        var (result, _) = EvalRunner.Evaluate(eval, loaded);
        ResultFile.Write(Uri(layout.EvalResult), result);
        var read = await store.ReadEvalResultAsync(layout, default);
        Assert.Equal(Uri(layout.Model), read!.Model);
        Assert.Equal(4, read.Problems);
        Assert.Equal(result.Score, read.Score);
    }

    public void Dispose() => s3.Dispose();
}
