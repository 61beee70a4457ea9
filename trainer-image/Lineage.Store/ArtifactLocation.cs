using System.Collections.Concurrent;
using Lineage.Store.S3;

namespace Lineage.Store;

/// <summary>
/// Where a model, checkpoint folder or contract file lives, from one string: <c>s3://bucket/key</c> (a store
/// object or folder, reached with <see cref="S3Settings.FromEnvironment"/>), or <c>file:///path</c> / a plain
/// path (a local file or folder). The one resolver the trainer uses at its edges.
/// </summary>
public sealed record ArtifactLocation
{
    static readonly ConcurrentDictionary<string, S3Store> Buckets = new();

    /// <summary>The string it was parsed from.</summary>
    public required string Uri { get; init; }
    /// <summary>Set for local locations: the absolute path.</summary>
    public string? LocalPath { get; init; }
    /// <summary>Set for store locations: the store (at the bucket's root) and the key under it.</summary>
    public IArtifactStore? Store { get; init; }
    public string Key { get; init; } = "";

    public bool IsLocal => LocalPath is not null;

    public static bool IsStoreUri(string value) => value.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Parses <paramref name="value"/>; <paramref name="settings"/> defaults to the environment (read only for s3://).</summary>
    public static ArtifactLocation Parse(string value, Func<S3Settings>? settings = null)
    {
        if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException("location is empty: give a path, file:///path or s3://bucket/key");
        if (IsStoreUri(value))
        {
            var (bucket, key) = SplitS3(value);
            var s3 = settings?.Invoke() ?? S3Settings.FromEnvironment();
            var store = Buckets.GetOrAdd($"{s3.HostAndPort}|{s3.AccessKey}|{bucket}", _ => new S3Store(s3, bucket));
            return new ArtifactLocation { Uri = value, Store = store, Key = key };
        }
        if (value.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
            return new ArtifactLocation { Uri = value, LocalPath = Path.GetFullPath(new Uri(value).LocalPath) };
        if (value.Contains("://", StringComparison.Ordinal))
            throw new ArgumentException($"'{value}': unsupported location scheme (use s3://bucket/key, file:///path or a plain path)");
        return new ArtifactLocation { Uri = value, LocalPath = Path.GetFullPath(value) };
    }

    /// <summary>
    /// A store rooted at <paramref name="value"/> (the operator's view: keys from <c>StoreLayout</c> go under it):
    /// <c>s3://bucket/prefix</c> or a local folder.
    /// </summary>
    public static IArtifactStore OpenStore(string value, Func<S3Settings>? settings = null)
    {
        if (!IsStoreUri(value)) return new FileSystemStore(Parse(value).LocalPath!);
        var (bucket, prefix) = SplitS3(value);
        return new S3Store(settings?.Invoke() ?? S3Settings.FromEnvironment(), bucket, prefix);
    }

    /// <summary>The location next to this one, e.g. <c>…/gen-3/model</c> → <c>…/gen-3/checkpoints</c>.</summary>
    public ArtifactLocation Sibling(string name)
    {
        if (IsLocal) return this with { Uri = Path.Combine(Path.GetDirectoryName(LocalPath)!, name), LocalPath = Path.Combine(Path.GetDirectoryName(LocalPath)!, name) };
        int slash = Key.LastIndexOf('/');
        string key = slash < 0 ? name : $"{Key[..slash]}/{name}";
        return this with { Uri = $"{Uri[..(Uri.Length - Key.Length)]}{key}", Key = key };
    }

    /// <summary>The location <paramref name="name"/> inside this folder.</summary>
    public ArtifactLocation Child(string name) => IsLocal
        ? this with { Uri = Path.Combine(LocalPath!, name), LocalPath = Path.Combine(LocalPath!, name) }
        : this with { Uri = $"{Uri.TrimEnd('/')}/{name}", Key = Key.Length == 0 ? name : $"{Key}/{name}" };

    public override string ToString() => Uri;

    static (string Bucket, string Key) SplitS3(string value)
    {
        string rest = value["s3://".Length..];
        int slash = rest.IndexOf('/');
        string bucket = slash < 0 ? rest : rest[..slash];
        string key = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        if (bucket.Length == 0) throw new ArgumentException($"'{value}': no bucket (expected s3://bucket/key)");
        return (bucket, key);
    }
}
