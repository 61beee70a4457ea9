using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Store;
using Lineage.Store.Publication;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tasks;
using Lineage.Trainer.Tests.Runs;

namespace Lineage.Trainer.Tests.Distillation;

/// <summary>
/// A distillation as the operator runs it in a pod: the teacher is the parent's model URI and the output a store URI on a
/// real S3 server. The traces, checkpoints, progress.json and the student land in the store layout; a pod killed after a
/// checkpoint is replaced by one with an empty disk, which resumes from the store without the teacher (the traces are
/// published) and ends with the weights of an uninterrupted run.
/// </summary>
[Collection(StoreEnvironmentCollection.Name)]
public sealed class DistillStoreRunTests : IDisposable
{
    readonly S3RunEnvironment s3 = new();
    readonly StoreLayout parent = new("math", $"gen-{Guid.NewGuid():N}"[..12]);
    readonly StoreLayout child = new("math", $"gen-{Guid.NewGuid():N}"[..12]);

    string Uri(string key) => s3.Uri(key);

    [Fact]
    public async Task A_killed_pod_resumes_from_the_published_traces_and_checkpoint_and_publishes_the_student()
    {
        using var store = s3.Server.Store();
        await store.PublishAsync(TinyTeacher.Model, parent.Model, 0, "test", default);
        new DistillRun(DistillRunTests.Verified(TinyTeacher.Model, s3.Dir.File("straight/model")), SilentObserver.Instance).Run();

        s3.Pod("pod-1");
        var config = DistillRunTests.Verified(Uri(parent.Model), Uri(child.Model), checkpointEvery: 3);
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() => new DistillRun(config, new CancelAtStep(cts, 4)).Run(cts.Token));
        var traces = await store.ReadAsync(child.Datasets, default);
        Assert.Equal(["summary.json", "traces.jsonl"], traces!.Manifest.Files.Select(f => f.Path).Order());
        Assert.Equal([3L], (await store.ListCheckpointsAsync(child, default)).Select(c => c.Step));
        Assert.Null(await store.ReadAsync(child.Model, default));
        var midway = await store.ReadProgressAsync(child, default);
        Assert.Equal(("distill", false), (midway!.Kind, midway.Done));
        Assert.True(midway.Metrics["tracesKept"] > 0);

        // A new pod, and the teacher is gone from the store: only the published traces and checkpoint can finish the run.
        await store.DeleteAsync($"{parent.Model}/{StoreLayout.ManifestFile}", default);
        s3.Pod("pod-2");
        var outcome = new DistillRun(config, SilentObserver.Instance).Run();
        Assert.True(outcome.TracesReused);
        Assert.Equal(3, outcome.Steps);
        Assert.Equal(Uri(child.Model), outcome.ModelDirectory);

        var progress = await store.ReadProgressAsync(child, default);
        Assert.True(progress!.Done);
        Assert.Equal(outcome.StudentAccuracy, progress.Metrics["studentAccuracy"]);
        var published = await store.ReadAsync(child.Model, default);
        Assert.Equal(("distill", 6L), (published!.Manifest.Creator, published.Step));
        var a = SafetensorsReader.Load(s3.Dir.File("straight/model/model.safetensors"));
        var b = SafetensorsReader.Load(Path.Combine(ModelLocation.Materialize(Uri(child.Model)), "model.safetensors"));
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);

        // The traces are a dataset any run can read by URI (downloaded through the verified cache).
        var rows = ProblemSet.Load(DataLocation.Materialize(new DataConfig { Path = Uri($"{child.Datasets}/traces.jsonl"), Count = 0 }, "train"));
        Assert.Equal(outcome.Traces.TracesKept, rows.Count);
        Assert.All(rows, r => Assert.True(Lineage.Trainer.Rewards.AnswerVerifier.IsCorrect(r, r.Completion)));
    }

    public void Dispose() => s3.Dispose();
}
