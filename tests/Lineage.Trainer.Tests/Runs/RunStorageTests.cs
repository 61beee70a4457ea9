using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Runs;

namespace Lineage.Trainer.Tests.Runs;

public sealed class RunStorageTests
{
    [Fact]
    public void A_file_uri_output_keeps_checkpoints_and_progress_beside_the_model_in_that_folder()
    {
        // Local mode's operator renders file:///… outputs; read as a relative path they landed under the pod's work folder
        // (file:/…/checkpoints), where the replacement pod of a killed one never looked.
        using var dir = new TemporaryDirectory();
        var storage = RunStorage.For(new Uri(dir.File("math/math-1/model")).AbsoluteUri, state: null, "grpo");
        Assert.Equal(dir.File("math/math-1/model"), storage.Paths.Output);
        Assert.Equal(dir.File("math/math-1/checkpoints"), storage.Paths.Checkpoints);
        Assert.Equal(dir.File("math/math-1/progress.json"), storage.Paths.Progress);
        Assert.False(storage.IsRemote);
    }

    [Fact]
    public void An_interrupted_run_with_a_file_uri_output_resumes_from_its_checkpoint()
    {
        using var dir = new TemporaryDirectory();
        var output = new Uri(dir.File("gen/model")).AbsoluteUri;
        var config = new Lineage.Contracts.Config.SftConfig
        {
            Output = output,
            Init = new() { HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, IntermediateSize = 64, MaxPositionEmbeddings = 128 },
            Train = new() { Task = "addition", Digits = 1, Count = 50 },
            Steps = 4,
            BatchSize = 4,
            MaxSeqLen = 64,
            SaveEvery = 2,
            Seed = 3,
        };
        using var cts = new CancellationTokenSource();
        Assert.ThrowsAny<OperationCanceledException>(() => new SftRun(config, new CancelAtStep(cts, 3), null).Run(cts.Token));
        Assert.Equal([2L], TrainingCheckpoint.List(dir.File("gen/checkpoints")).Select(c => c.Step));

        var outcome = new SftRun(config, SilentObserver.Instance).Run();
        Assert.Equal(2, outcome.Steps);
        Assert.True(File.Exists(dir.File("gen/model/model.safetensors")));
    }
}
