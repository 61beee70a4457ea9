using Lineage.Trainer.Model;
using Lineage.Trainer.Training;
using static TorchSharp.torch;

namespace Lineage.Trainer.Checkpoints;

/// <summary>
/// <c>checkpoints/step-N/</c>: a complete model directory plus optimizer.safetensors and trainer_state.json.
/// Written under a temporary name and renamed, so a crash mid-save leaves no half checkpoint;
/// trainer_state.json is written last inside it.
/// </summary>
public static class TrainingCheckpoint
{
    public const string OptimizerFile = "optimizer.safetensors";

    public static string Save(string checkpointsDir, PretrainedModel model, AdamW optimizer, TrainingState state, int keep) =>
        Save(checkpointsDir, model.Save, optimizer, state, keep);

    /// <param name="saveModel">Writes the model directory into the folder it is given (a reward model saves itself differently).</param>
    public static string Save(string checkpointsDir, Action<string> saveModel, AdamW optimizer, TrainingState state, int keep)
    {
        string final = Path.Combine(checkpointsDir, $"step-{state.Step}");
        string temp = final + ".partial";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        saveModel(temp);
        SafetensorsWriter.Save(Path.Combine(temp, OptimizerFile), optimizer.StateTensors());
        File.WriteAllText(Path.Combine(temp, TrainingState.FileName), (state with { SavedAt = DateTimeOffset.UtcNow }).ToJson());
        if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
        Directory.Move(temp, final);
        foreach (var (_, old) in List(checkpointsDir).SkipLast(keep)) Directory.Delete(old, recursive: true);
        return final;
    }

    /// <summary>Complete checkpoints, oldest first.</summary>
    public static IReadOnlyList<(long Step, string Path)> List(string checkpointsDir)
    {
        if (!Directory.Exists(checkpointsDir)) return [];
        return Directory.GetDirectories(checkpointsDir)
            .Select(d => (Step: Lineage.Contracts.Store.StoreLayout.StepOf(Path.GetFileName(d)), Path: d))
            .Where(c => c.Step is not null && File.Exists(Path.Combine(c.Path, TrainingState.FileName)))
            .Select(c => (c.Step!.Value, c.Path))
            .OrderBy(c => c.Item1)
            .ToList();
    }

    public static string? Latest(string checkpointsDir) => List(checkpointsDir) is { Count: > 0 } all ? all[^1].Path : null;

    public static void LoadOptimizer(string checkpointDir, AdamW optimizer, long step)
    {
        string path = Path.Combine(checkpointDir, OptimizerFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: optimizer state missing from checkpoint", path);
        var tensors = SafetensorsReader.Load(path);
        try { optimizer.LoadState(tensors, step, path); }
        finally { foreach (var t in tensors.Values) t.Dispose(); }
    }

    public static string EncodeGenerator(Generator generator)
    {
        using var state = generator.get_state();
        return Convert.ToBase64String(state.data<byte>().ToArray());
    }

    public static void RestoreGenerator(Generator generator, string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        using var state = tensor(bytes, dtype: ScalarType.Byte, device: CPU);
        generator.set_state(state);
    }
}
