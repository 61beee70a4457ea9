using Lineage.Contracts.Store;

namespace Lineage.Trainer.Runs;

/// <summary>
/// Rewrites progress.json at most every <paramref name="interval"/> (the operator polls it), atomically, and at once
/// when a new checkpoint is named (what a restarted pod resumes from is never behind by an interval);
/// <paramref name="written"/> runs after each write (e.g. to publish it to the store).
/// </summary>
public sealed class ProgressWriter(string path, string kind, long totalSteps, TimeSpan interval, Action? written = null)
{
    DateTimeOffset lastWrite = DateTimeOffset.MinValue;
    string? checkpointWritten;

    /// <summary>The judge check's result, carried in every write from now on.</summary>
    public JudgeCheckResult? Judge { get; set; }

    public void Report(long step, IReadOnlyDictionary<string, double> metrics, string? lastCheckpoint, bool done = false, bool force = false)
    {
        var now = DateTimeOffset.UtcNow;
        if (!force && !done && now - lastWrite < interval && lastCheckpoint == checkpointWritten) return;
        lastWrite = now;
        checkpointWritten = lastCheckpoint;
        var progress = new Progress
        {
            Kind = kind, Step = step, TotalSteps = totalSteps, Metrics = metrics.Where(kv => double.IsFinite(kv.Value)).ToDictionary(),
            LastCheckpoint = lastCheckpoint, Done = done, Judge = Judge, UpdatedAt = now,
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, ContractJson.Serialize(progress));
        File.Move(temp, path, overwrite: true);
        written?.Invoke();
    }
}
