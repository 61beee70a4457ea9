using System.Security.Cryptography;
using Lineage.Contracts.Store;

namespace Lineage.Store.Publication;

/// <summary>Writes manifest.json into a local folder in place (the embedded mode's publication: the files are already there).</summary>
public static class LocalManifest
{
    public static async Task<CheckpointManifest> WriteAsync(string directory, long step, string creator, CancellationToken ct)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: directory to publish not found");
        string manifestPath = Path.Combine(directory, StoreLayout.ManifestFile);
        if (File.Exists(manifestPath)) File.Delete(manifestPath);
        var files = new List<ManifestFile>();
        foreach (var relative in DirectoryPublisher.LocalFiles(directory))
        {
            await using var file = new FileStream(Path.Combine(directory, relative), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var sha = await SHA256.HashDataAsync(file, ct).ConfigureAwait(false);
            files.Add(new ManifestFile(relative, file.Length, Convert.ToHexStringLower(sha)));
        }
        var manifest = new CheckpointManifest { Files = files, Step = step, Creator = creator, CreatedAt = DateTimeOffset.UtcNow };
        string temp = manifestPath + ".tmp";
        await File.WriteAllTextAsync(temp, ContractJson.Serialize(manifest), ct).ConfigureAwait(false);
        File.Move(temp, manifestPath, overwrite: true);
        return manifest;
    }
}
