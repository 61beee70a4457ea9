using Lineage.Local.Tests.Support;

namespace Lineage.Chaos.Bench;

/// <summary>What a lineage of the benchmark is for, which says how it must end.</summary>
public enum LineageRole
{
    /// <summary>Run first, alone, without faults: its models are the weights every other lineage must end with.</summary>
    Reference,
    /// <summary>Trainers killed, uploads cut, the store restarted, checkpoints corrupted: must still end Complete with the reference's weights.</summary>
    Faulted,
    /// <summary>One published model gets a flipped byte: its reader must refuse it (sha256), so the lineage ends Failed there.</summary>
    CorruptModel,
}

/// <summary>
/// One tiny three-generation lineage (SFT from nothing, GRPO, distillation) storing in s3:// through the proxy. All lineages
/// have the same seeded spec, so an uninterrupted run and a resumed one must end with byte-identical weights.
/// </summary>
public sealed record ChaosLineage(string Name, LineageRole Role, int CorruptGeneration = -1)
{
    public const string Namespace = "chaos";
    public const string Secret = "s3";
    public const string StorePrefix = "chaos";
    public const int Generations = 3;
    public const int GrpoSteps = 40;
    public const int CheckpointEvery = 5;

    public DateTime Started { get; set; }
    public DateTime? Finished { get; set; }

    public static string NamespaceManifest() => $$"""
        apiVersion: v1
        kind: Namespace
        metadata: {name: {{Namespace}}}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: {{Secret}}, namespace: {{Namespace}}}
        stringData: {AWS_ACCESS_KEY_ID: S3RVER, AWS_SECRET_ACCESS_KEY: S3RVER}
        """;

    public string Manifest(string bucket, int proxyPort) => TinyLineage.Lineage(Name, Namespace, GrpoSteps, CheckpointEvery,
        labels: $"chaos.lineage.dev/role: {Role.ToString().ToLowerInvariant()}", sftSteps: 60, baseCheckpointEvery: 10, distillSftSteps: 12,
        storage: $"{{uri: \"s3://{bucket}/{StorePrefix}\", secretName: {Secret}, endpoint: \"http://127.0.0.1:{proxyPort}\"}}");
}

/// <summary>Store keys joined with '/' (keys here are always relative and clean).</summary>
static class StoreKeys
{
    public static string Join(string prefix, string name) => prefix.TrimEnd('/') + "/" + name.TrimStart('/');
}
