using System.Text.Json;
using System.Text.Json.Serialization;

namespace Lineage.LocalNode.Processes;

/// <summary>
/// What the node writes down about a container process it starts, before the process may do any work: enough to
/// recognise it after the node itself was killed (pid, start time, boot) and to report how it ended.
/// </summary>
public sealed record ProcessRecord
{
    public required string PodNamespace { get; init; }
    public required string PodName { get; init; }
    public required string PodUid { get; init; }
    public required string Container { get; init; }
    public required string Image { get; init; }
    public required DateTime StartedAt { get; init; }
    /// <summary>Zero until the process exists.</summary>
    public int Pid { get; init; }
    public long StartTicks { get; init; }
    public string BootId { get; init; } = "";
    public int GracePeriodSeconds { get; init; } = 30;
    /// <summary>The container's resource requests (cpu in millicores, memory in bytes), for the node's accounting.</summary>
    public Dictionary<string, long> Requests { get; init; } = [];
    /// <summary>Set once the process has exited and its end was seen by the node.</summary>
    public ContainerExit? Exit { get; init; }

    static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Writes the record atomically (a temporary file renamed over the old one) and durably.</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, Json);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    public static ProcessRecord? Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<ProcessRecord>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            return null;
        }
    }
}
