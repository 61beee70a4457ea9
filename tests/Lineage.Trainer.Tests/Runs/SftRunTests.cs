using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Trainer.Checkpoints;
using Lineage.Trainer.Model;
using Lineage.Trainer.Runs;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Runs;

public sealed class SftRunTests
{
    static SftConfig Tiny(string output, int steps, int saveEvery = 0) => new()
    {
        Output = output,
        Init = new ModelInit { HiddenSize = 32, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, IntermediateSize = 64, MaxPositionEmbeddings = 128 },
        Train = new DataConfig { Task = "addition", Digits = 2, Count = 200 },
        Optim = new OptimConfig { LearningRate = 3e-3, WarmupSteps = 2 },
        Steps = steps,
        BatchSize = 8,
        MaxSeqLen = 64,
        SaveEvery = saveEvery,
        LogEvery = 1,
        Seed = 7,
    };

    [Fact]
    public void A_run_killed_and_resumed_ends_with_the_same_weights_as_an_uninterrupted_run()
    {
        using var dir = new TemporaryDirectory();
        new SftRun(Tiny(dir.File("straight/model"), steps: 6), SilentObserver.Instance).Run();

        using var cts = new CancellationTokenSource();
        var interrupted = Tiny(dir.File("resumed/model"), steps: 6, saveEvery: 3);
        Assert.ThrowsAny<OperationCanceledException>(() => new SftRun(interrupted, new CancelAtStep(cts, 4), null).Run(cts.Token));
        Assert.False(Directory.Exists(dir.File("resumed/model")));
        Assert.Equal([3L], TrainingCheckpoint.List(dir.File("resumed/checkpoints")).Select(c => c.Step));

        var outcome = new SftRun(interrupted, SilentObserver.Instance).Run();
        Assert.Equal(3, outcome.Steps);

        var a = SafetensorsReader.Load(dir.File("straight/model/model.safetensors"));
        var b = SafetensorsReader.Load(dir.File("resumed/model/model.safetensors"));
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a) TensorAssert.Identical(tensor, b[name], name);
    }

    [Fact]
    public void Progress_json_is_written_in_the_contract_shape_the_operator_reads()
    {
        using var dir = new TemporaryDirectory();
        new SftRun(Tiny(dir.File("gen-1/model"), steps: 3), SilentObserver.Instance).Run();
        var progress = ContractJson.Deserialize<Progress>(File.ReadAllText(dir.File("gen-1/progress.json")), "progress.json");
        Assert.Equal("sft", progress.Kind);
        Assert.Equal(3, progress.Step);
        Assert.Equal(3, progress.TotalSteps);
        Assert.True(progress.Done);
        Assert.True(progress.Metrics["loss"] > 0);
        Assert.Equal(3, File.ReadAllLines(dir.File("gen-1/metrics.jsonl")).Length);
    }

    [Fact]
    public void A_saved_model_loads_back_with_identical_logits()
    {
        using var dir = new TemporaryDirectory();
        new SftRun(Tiny(dir.File("m/model"), steps: 2), SilentObserver.Instance).Run();
        using var first = PretrainedModel.Load(dir.File("m/model"));
        first.Save(dir.File("copy"));
        using var second = PretrainedModel.Load(dir.File("copy"));
        var ids = first.Tokenizer.Encode("12+34=").Select(i => (long)i).ToArray();
        using var input = tensor(ids, [1, ids.Length]);
        using var noGrad = no_grad();
        TensorAssert.Identical(first.Model.Forward(input), second.Model.Forward(input), "logits");
    }

    [Fact]
    public void A_missing_or_corrupt_starting_model_is_a_clear_error_and_writes_nothing()
    {
        using var dir = new TemporaryDirectory();
        var missing = Tiny(dir.File("out/model"), 2) with { Model = dir.File("nowhere") };
        var e = Assert.Throws<DirectoryNotFoundException>(() => new SftRun(missing, SilentObserver.Instance).Run());
        Assert.Contains("nowhere", e.Message);

        new SftRun(Tiny(dir.File("good/model"), 1), SilentObserver.Instance).Run();
        var weights = dir.File("good/model/model.safetensors");
        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);
        var corrupt = Tiny(dir.File("out/model"), 2) with { Model = dir.File("good/model") };
        var c = Assert.Throws<InvalidDataException>(() => new SftRun(corrupt, SilentObserver.Instance).Run());
        Assert.Contains("model.safetensors", c.Message);
        Assert.False(Directory.Exists(dir.File("out")));
    }
}
