using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Store;
using Lineage.Store.Publication;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Tests.Runs;
using Lineage.Trainer.Training;

namespace Lineage.Trainer.Tests.Grpo;

/// <summary>
/// GRPO as the operator runs it in a pod: the policy is a promoted parent's model URI and the output a store URI on a
/// real S3 server. Checkpoints, progress.json and the model land in the store layout; a pod killed after a checkpoint
/// and replaced by one with an empty disk resumes from the store and ends with the weights of an uninterrupted run.
/// </summary>
[Collection(StoreEnvironmentCollection.Name)]
public sealed class GrpoStoreRunTests : IDisposable
{
    readonly S3RunEnvironment s3 = new();
    readonly StoreLayout parent = new("math", $"gen-{Guid.NewGuid():N}"[..12]);
    readonly StoreLayout child = new("math", $"gen-{Guid.NewGuid():N}"[..12]);

    string Uri(string key) => s3.Uri(key);

    GrpoConfig Config(string policy, string output) => TinyGrpo.Config(policy, output, steps: 4) with { CheckpointEvery = 2, Beta = 0.05 };

    [Fact]
    public async Task A_run_from_a_parent_uri_to_a_store_uri_publishes_its_outputs_and_a_fresh_pod_resumes_exactly()
    {
        using var store = s3.Server.Store();
        string localPolicy = TinyGrpo.Policy(s3.Dir);
        await store.PublishAsync(localPolicy, parent.Model, 0, "test", default);

        new GrpoRun(Config(localPolicy, s3.Dir.File("straight/model")), SilentObserver.Instance).Run();

        s3.Pod("pod-1");
        using (var cts = new CancellationTokenSource())
            Assert.ThrowsAny<OperationCanceledException>(() =>
                new GrpoRun(Config(Uri(parent.Model), Uri(child.Model)), new CancelAtStep(cts, 3)).Run(cts.Token));
        Assert.Equal([2L], (await store.ListCheckpointsAsync(child, default)).Select(c => c.Step));
        Assert.Null(await store.ReadAsync(child.Model, default));
        var midway = await store.ReadProgressAsync(child, default);
        Assert.Equal(Uri(child.Checkpoint(2)), midway!.LastCheckpoint);
        Assert.False(midway.Done);

        s3.Pod("pod-2");
        var outcome = new GrpoRun(Config(Uri(parent.Model), Uri(child.Model)), SilentObserver.Instance).Run();
        Assert.Equal(2, outcome.Steps);
        Assert.Equal(Uri(child.Model), outcome.ModelDirectory);

        var progress = await store.ReadProgressAsync(child, default);
        Assert.True(progress!.Done);
        Assert.Equal(4, progress.Step);
        var published = await store.ReadAsync(child.Model, default);
        Assert.Equal(4, published!.Step);
        Assert.Equal("grpo", published.Manifest.Creator);

        string downloaded = ModelLocation.Materialize(Uri(child.Model));
        var a = SafetensorsReader.Load(s3.Dir.File("straight/model/model.safetensors"));
        var b = SafetensorsReader.Load(Path.Combine(downloaded, "model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);
    }

    [Fact]
    public void A_policy_uri_with_no_published_model_is_an_error_naming_it_and_writes_nothing()
    {
        using var store = s3.Server.Store();
        s3.Pod("pod");
        var missing = Uri(new StoreLayout("math", "never-trained").Model);
        var error = Assert.ThrowsAny<Exception>(() => new GrpoRun(Config(missing, Uri(child.Model)), SilentObserver.Instance).Run());
        Assert.Contains("never-trained", error.Message);
        Assert.Null(store.ReadProgressAsync(child, default).GetAwaiter().GetResult());
    }

    public void Dispose() => s3.Dispose();
}
