using System.Text.Json.Serialization;

namespace Lineage.Contracts.Store;

/// <summary>
/// Written last, after every file it lists: a checkpoint or model directory is visible only once
/// its manifest exists, and readers verify each file's size and sha256 against it.
/// </summary>
public sealed record CheckpointManifest
{
    [JsonPropertyName("files")] public required IReadOnlyList<ManifestFile> Files { get; init; }
    [JsonPropertyName("step")] public long Step { get; init; }
    [JsonPropertyName("creator")] public string Creator { get; init; } = "";
    [JsonPropertyName("createdAt")] public DateTimeOffset CreatedAt { get; init; }
}

public sealed record ManifestFile(
    [property: JsonPropertyName("path")] string Path,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("sha256")] string Sha256);
