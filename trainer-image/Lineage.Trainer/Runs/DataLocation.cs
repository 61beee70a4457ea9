using Lineage.Contracts.Config;
using Lineage.Store;
using Lineage.Store.Publication;

namespace Lineage.Trainer.Runs;

/// <summary>
/// The trainer's edge for datasets: a JSONL path that is a store URI (e.g. a distillation's
/// <c>s3://…/gen-2/datasets/traces.jsonl</c>) is fetched to a local file first; its folder is downloaded through the
/// verified cache when it was published with a manifest, the object alone otherwise. A <c>file:///</c> URI becomes its
/// local path; plain paths and built-in tasks are returned as they are.
/// </summary>
public static class DataLocation
{
    public static DataConfig Materialize(DataConfig data, string field, CancellationToken ct = default)
    {
        if (data.Path is not { } path) return data;
        // file:///… is a local file (local mode's store); a relative plain path stays relative to the reader's folder.
        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase)) return data with { Path = ArtifactLocation.Parse(path).LocalPath };
        if (!ArtifactLocation.IsStoreUri(path)) return data;
        var where = ArtifactLocation.Parse(path);
        int slash = where.Key.LastIndexOf('/');
        if (slash <= 0) throw new ConfigError($"{field}.path: '{path}' names no file (expected s3://bucket/…/file.jsonl)");
        string folder = where.Uri[..(where.Uri.Length - (where.Key.Length - slash))];
        string name = where.Key[(slash + 1)..];
        bool published = where.Store!.ReadAsync(where.Key[..slash], ct).GetAwaiter().GetResult() is not null;
        string local = published ? Path.Combine(ModelLocation.Materialize(folder, ct), name) : Download(where, ct);
        if (!File.Exists(local)) throw new ConfigError($"{field}.path: '{path}' is not in the store (its folder is published without it)");
        return data with { Path = local };
    }

    static string Download(ArtifactLocation where, CancellationToken ct)
    {
        var stream = where.Store!.OpenReadAsync(where.Key, ct).GetAwaiter().GetResult()
            ?? throw new ConfigError($"data.path: '{where.Uri}' does not exist in the store");
        string directory = Path.Combine(Store.Cache.ModelCache.DefaultDirectory(), "datasets", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        string file = Path.Combine(directory, Path.GetFileName(where.Key));
        using (stream)
        using (var output = File.Create(file))
            stream.CopyTo(output);
        return file;
    }
}
