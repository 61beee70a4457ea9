using System.Security.Cryptography;
using System.Text;
using Lineage.Contracts.Store;
using Lineage.Store;
using Lineage.Store.Cache;
using Lineage.Store.Publication;
using Lineage.Trainer.Checkpoints;

namespace Lineage.Trainer.Runs;

/// <summary>
/// A run's edges when its output may be a store URI. The run always works in local <see cref="Paths"/>; for an
/// <c>s3://…/model</c> output those are a work folder under the cache, and every checkpoint, progress.json and the
/// final model are published beside the output key (manifest last), as the store layout says. A local output
/// gets manifest.json written in place, so the embedded mode's file store sees the same contract.
/// </summary>
public sealed class RunStorage
{
    readonly ArtifactLocation? output;
    readonly ArtifactLocation? checkpoints;
    readonly ArtifactLocation? progress;
    readonly ArtifactLocation? datasets;
    readonly string creator;

    RunStorage(RunPaths paths, string creator, ArtifactLocation? output = null, ArtifactLocation? checkpoints = null, ArtifactLocation? progress = null,
        ArtifactLocation? datasets = null)
    {
        Paths = paths;
        this.creator = creator;
        this.output = output;
        this.checkpoints = checkpoints;
        this.progress = progress;
        this.datasets = datasets;
    }

    /// <summary>Where the run works locally (what it passes to Save/Load).</summary>
    public RunPaths Paths { get; }
    public bool IsRemote => output is not null;

    /// <summary>
    /// <paramref name="output"/>: a local path, <c>file:///…</c> or <c>s3://bucket/…/model</c>; <paramref name="creator"/> goes into manifests (e.g. "sft").
    /// A remote run works in <c>&lt;cache&gt;/runs/&lt;hash of the URI&gt;/</c> so a restarted process finds its own files.
    /// </summary>
    public static RunStorage For(string output, string? state, string creator, string? workDirectory = null)
    {
        // A file:// output is a local folder: its checkpoints and progress.json go beside it, where a restarted pod finds them.
        if (!ArtifactLocation.IsStoreUri(output))
            return new RunStorage(RunPaths.For(ArtifactLocation.Parse(output).LocalPath!, state is null ? null : ArtifactLocation.Parse(state).LocalPath), creator);
        var remote = ArtifactLocation.Parse(output);
        if (remote.Key.Length == 0) throw new ArgumentException($"output: '{output}' names a bucket, not a model location (s3://bucket/<lineage>/<generation>/model)");
        string work = workDirectory ?? Path.Combine(ModelCache.DefaultDirectory(), "runs",
            Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(output)))[..16]);
        bool layout = remote.Key == "model" || remote.Key.EndsWith("/model", StringComparison.Ordinal);
        var paths = RunPaths.For(Path.Combine(work, layout ? "model" : Path.GetFileName(remote.Key)), state);
        var checkpoints = layout ? remote.Sibling("checkpoints") : remote with { Uri = remote.Uri + ".checkpoints", Key = remote.Key + ".checkpoints" };
        var progress = layout ? remote.Sibling("progress.json") : remote with { Uri = remote.Uri + ".progress.json", Key = remote.Key + ".progress.json" };
        var datasets = layout ? remote.Sibling("datasets") : remote with { Uri = remote.Uri + ".datasets", Key = remote.Key + ".datasets" };
        return new RunStorage(paths, creator, remote, checkpoints, progress, datasets);
    }

    /// <summary>
    /// The checkpoint to resume from: the newest of the local ones and (for a remote run) the store's valid ones, which
    /// is downloaded (verified) into <see cref="RunPaths.Checkpoints"/> first. A store checkpoint whose file fails its
    /// manifest's sha256 or size (corrupted after publication) is never used: <paramref name="note"/> is told, and the
    /// next older one is tried, down to a fresh start (a seeded run redoes the same steps). Null when there is none.
    /// The location is what progress.json names: the store URI of a downloaded checkpoint, never the pod's local copy.
    /// </summary>
    public (string Path, string Location)? LatestCheckpoint(CancellationToken ct, Action<string>? note = null)
    {
        var local = TrainingCheckpoint.List(Paths.Checkpoints) is { Count: > 0 } all ? all[^1] : ((long Step, string Path)?)null;
        // A local checkpoint may never have reached the store (its upload was cut): it is named by its path.
        (string, string)? Local() => local is { } l ? (l.Path, l.Path) : null;
        if (checkpoints is null) return Local();
        var valid = checkpoints.Store!.ListCheckpointsAsync(checkpoints.Key, ct).GetAwaiter().GetResult();
        foreach (var remote in valid.Reverse())
        {
            if (local is { } l && l.Step >= remote.Step) return Local();
            string target = Path.Combine(Paths.Checkpoints, $"step-{remote.Step}");
            string partial = target + ".download";
            if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
            try
            {
                checkpoints.Store!.DownloadAsync(remote, partial, ct).GetAwaiter().GetResult();
            }
            catch (InvalidDataException e)
            {
                if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
                note?.Invoke($"checkpoint {checkpoints.Child($"step-{remote.Step}").Uri} not used: {e.Message}; trying the one before it");
                continue;
            }
            if (Directory.Exists(target)) Directory.Delete(target, recursive: true);
            Directory.Move(partial, target);
            return (target, checkpoints.Child($"step-{remote.Step}").Uri);
        }
        return Local();
    }

    /// <summary>
    /// Publishes a checkpoint the run just saved locally and prunes the store to the newest <paramref name="keep"/>.
    /// Returns what progress.json should name as the last checkpoint (the store URI for a remote run).
    /// </summary>
    public string CheckpointSaved(string localCheckpoint, long step, int keep, CancellationToken ct)
    {
        if (checkpoints is null)
        {
            LocalManifest.WriteAsync(localCheckpoint, step, creator, ct).GetAwaiter().GetResult();
            return localCheckpoint;
        }
        var target = checkpoints.Child($"step-{step}");
        target.Store!.PublishAsync(localCheckpoint, target.Key, step, creator, ct).GetAwaiter().GetResult();
        checkpoints.Store!.PruneCheckpointsAsync(checkpoints.Key, keep, ct).GetAwaiter().GetResult();
        return target.Uri;
    }

    /// <summary>Uploads the local progress.json (a remote run); a failed upload is reported, not fatal — the next write retries.</summary>
    public void ProgressWritten(IRunObserver observer)
    {
        if (progress is null) return;
        try
        {
            progress.Store!.WriteAsync(progress.Key, () => File.OpenRead(Paths.Progress), CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (ArtifactStoreException e)
        {
            observer.Note($"progress.json not published this time: {e.Message}");
        }
    }

    /// <summary>
    /// The run's published datasets folder (<see cref="RunPaths.Datasets"/>, e.g. a distillation's traces), or null when it
    /// was never published. A remote run's is downloaded (verified) into <see cref="RunPaths.Datasets"/>; a local one must have
    /// its manifest and every listed file with the listed size and sha256.
    /// </summary>
    public string? PublishedDatasets(CancellationToken ct)
    {
        if (datasets is null) return IsPublished(Paths.Datasets) ? Paths.Datasets : null;
        var published = datasets.Store!.ReadAsync(datasets.Key, ct).GetAwaiter().GetResult();
        if (published is null) return null;
        string partial = Paths.Datasets + ".download";
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        datasets.Store!.DownloadAsync(published, partial, ct).GetAwaiter().GetResult();
        if (Directory.Exists(Paths.Datasets)) Directory.Delete(Paths.Datasets, recursive: true);
        Directory.Move(partial, Paths.Datasets);
        return Paths.Datasets;
    }

    /// <summary>Publishes <see cref="RunPaths.Datasets"/> (manifest last): uploaded beside the output (remote), a manifest in place (local).</summary>
    public void DatasetsSaved(CancellationToken ct)
    {
        if (datasets is null) LocalManifest.WriteAsync(Paths.Datasets, 0, creator, ct).GetAwaiter().GetResult();
        else datasets.Store!.PublishAsync(Paths.Datasets, datasets.Key, 0, creator, ct).GetAwaiter().GetResult();
    }

    /// <summary>Where the published datasets folder is, as a URI (the store's for a remote run).</summary>
    public string DatasetsLocation => datasets?.Uri ?? Paths.Datasets;

    /// <summary>Publishes the final model (remote), or writes its manifest in place (local). Call before the last progress report.</summary>
    public void ModelSaved(long step, CancellationToken ct) =>
        ModelPublisher.PublishAsync(Paths.Output, output?.Uri ?? Paths.Output, step, creator, ct).GetAwaiter().GetResult();

    /// <summary>The output as the user gave it (the store URI for a remote run).</summary>
    public string OutputLocation => output?.Uri ?? Paths.Output;

    /// <summary>A progress writer for this run that publishes each write.</summary>
    public ProgressWriter ProgressWriter(string kind, long totalSteps, IRunObserver observer) =>
        new(Paths.Progress, kind, totalSteps, TimeSpan.FromSeconds(10), () => ProgressWritten(observer));

    /// <summary>A local folder whose manifest.json parses and lists files that are all there with their size and sha256.</summary>
    static bool IsPublished(string directory)
    {
        string manifestPath = Path.Combine(directory, StoreLayout.ManifestFile);
        if (!File.Exists(manifestPath)) return false;
        var manifest = ContractJson.Deserialize<CheckpointManifest>(File.ReadAllText(manifestPath), manifestPath);
        foreach (var file in manifest.Files)
        {
            var info = new FileInfo(Path.Combine(directory, file.Path));
            if (!info.Exists || info.Length != file.Size) return false;
            using var stream = info.OpenRead();
            if (Convert.ToHexStringLower(SHA256.HashData(stream)) != file.Sha256) return false;
        }
        return true;
    }
}
