namespace Lineage.Trainer.Runs;

/// <summary>
/// Where a run writes. An output ending in <c>/model</c> follows the store layout: checkpoints and
/// progress.json sit beside it in the generation's folder. Any other output gets
/// <c>{output}.checkpoints/</c>, <c>{output}.progress.json</c> and <c>{output}.datasets/</c>, so two runs never share state.
/// </summary>
public sealed record RunPaths(string Output, string Checkpoints, string Progress, string Metrics, string Datasets)
{
    public static RunPaths For(string output, string? state)
    {
        var trimmed = output.TrimEnd('/', '\\');
        bool layout = Path.GetFileName(trimmed) == "model";
        string root = layout ? Path.GetDirectoryName(trimmed) ?? "." : trimmed;
        string checkpoints = state ?? (layout ? Path.Combine(root, "checkpoints") : trimmed + ".checkpoints");
        string progress = layout ? Path.Combine(root, "progress.json") : trimmed + ".progress.json";
        string metrics = layout ? Path.Combine(root, "metrics.jsonl") : trimmed + ".metrics.jsonl";
        string datasets = layout ? Path.Combine(root, "datasets") : trimmed + ".datasets";
        return new RunPaths(trimmed, checkpoints, progress, metrics, datasets);
    }
}
