using Lineage.Contracts.Store;

namespace Lineage.Store.Publication;

/// <summary>A directory in the store whose manifest exists: where it is, what it lists, and the manifest's own sha256 (the cache key).</summary>
public sealed record PublishedArtifact(string Prefix, CheckpointManifest Manifest, string ManifestSha256)
{
    public long Step => Manifest.Step;
    public long TotalBytes => Manifest.Files.Sum(f => f.Size);
}
