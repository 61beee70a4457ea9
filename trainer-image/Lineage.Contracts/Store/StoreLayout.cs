namespace Lineage.Contracts.Store;

/// <summary>
/// Where a generation's artifacts live under a store prefix:
/// <c>&lt;prefix&gt;/&lt;lineage&gt;/&lt;generation&gt;/{model/, checkpoints/step-N/, progress.json, eval/result.json, datasets/}</c>.
/// Paths are relative keys joined with '/', the same for S3 and the filesystem.
/// </summary>
public sealed record StoreLayout(string Lineage, string Generation)
{
    public const string ManifestFile = "manifest.json";

    public string Root => $"{Lineage}/{Generation}";
    public string Model => $"{Root}/model";
    public string Checkpoints => $"{Root}/checkpoints";
    public string Checkpoint(long step) => $"{Checkpoints}/step-{step}";
    public string Progress => $"{Root}/progress.json";
    public string EvalResult => $"{Root}/eval/result.json";
    public string Datasets => $"{Root}/datasets";

    /// <summary>Parses "step-N" back to N; null for anything else.</summary>
    public static long? StepOf(string checkpointDirName) =>
        checkpointDirName.StartsWith("step-", StringComparison.Ordinal) && long.TryParse(checkpointDirName[5..], out var n) && n >= 0 ? n : null;
}
