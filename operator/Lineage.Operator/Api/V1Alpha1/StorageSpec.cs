using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>
/// Where artifacts go: <c>&lt;uri&gt;/&lt;lineage&gt;/&lt;generation&gt;/…</c>. The Secret holds the keys
/// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; they reach pods only through secretKeyRef.
/// </summary>
[CelRule("self.uri.startsWith('file://') || has(self.secretName)", "secretName is required for an s3:// uri")]
public sealed record StorageSpec
{
    public const string AccessKeyIdKey = "AWS_ACCESS_KEY_ID";
    public const string SecretAccessKeyKey = "AWS_SECRET_ACCESS_KEY";

    /// <summary>Store prefix, s3://bucket/prefix (or file:///path in the embedded mode).</summary>
    [Required, Pattern(Patterns.StoreUri)]
    public string Uri { get; init; } = "";
    /// <summary>Secret in this namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.</summary>
    [Pattern(Patterns.Name)]
    public string? SecretName { get; init; }
    /// <summary>S3 endpoint for S3-compatible servers (MinIO), e.g. http://minio.storage:9000. Default AWS S3 in the region.</summary>
    [Pattern("^https?://.+$")]
    public string? Endpoint { get; init; }
    /// <summary>S3 region. Default us-east-1.</summary>
    public string Region { get; init; } = "us-east-1";
    /// <summary>On deletion: retain keeps the artifacts, delete removes them (never a checkpoint a child uses).</summary>
    [Enum(V1Alpha1.Retention.Retain, V1Alpha1.Retention.Delete)]
    public string Retention { get; init; } = V1Alpha1.Retention.Retain;

    /// <summary>The endpoint pods and the operator use: the given one, else AWS S3 of the region.</summary>
    public string EffectiveEndpoint() => Endpoint ?? $"https://s3.{Region}.amazonaws.com";
}
