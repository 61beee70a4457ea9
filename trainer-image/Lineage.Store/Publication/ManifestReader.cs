using System.Security.Cryptography;
using System.Text;
using Lineage.Contracts.Store;

namespace Lineage.Store.Publication;

/// <summary>Reads and checks a directory's manifest.json; null when there is none (not published, or still uploading).</summary>
public static class ManifestReader
{
    const int MaxManifestBytes = 16 << 20;

    public static async Task<PublishedArtifact?> ReadAsync(this IArtifactStore store, string prefix, CancellationToken ct)
    {
        string key = StoreKeys.Join(prefix, StoreLayout.ManifestFile);
        var bytes = await store.ReadSmallAsync(key, MaxManifestBytes, ct).ConfigureAwait(false);
        if (bytes is null) return null;
        string source = $"{store.Root}/{key}";
        var manifest = ContractJson.Deserialize<CheckpointManifest>(Encoding.UTF8.GetString(bytes), source);
        Check(manifest, source);
        return new PublishedArtifact(prefix.Trim('/'), manifest, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    static void Check(CheckpointManifest manifest, string source)
    {
        if (manifest.Files is null) throw new InvalidDataException($"{source}: 'files' is missing");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (string.IsNullOrEmpty(file.Path) || file.Path.StartsWith('/') || file.Path.Split('/').Any(p => p is "" or "." or ".."))
                throw new InvalidDataException($"{source}: file path '{file.Path}' must be relative without '.' or '..' parts");
            if (file.Path == StoreLayout.ManifestFile) throw new InvalidDataException($"{source}: a manifest cannot list itself");
            if (!seen.Add(file.Path)) throw new InvalidDataException($"{source}: '{file.Path}' is listed twice");
            if (file.Size < 0) throw new InvalidDataException($"{source}: '{file.Path}' has negative size {file.Size}");
            if (file.Sha256 is not { Length: 64 } || !file.Sha256.All(Uri.IsHexDigit))
                throw new InvalidDataException($"{source}: '{file.Path}' sha256 '{file.Sha256}' is not 64 hex digits");
        }
    }
}
