namespace Lineage.Store.S3;

/// <summary>
/// How to reach an S3 endpoint (MinIO in the cluster, any S3 elsewhere). Loaded once at the edge by
/// <see cref="FromEnvironment"/>; every error names the variable to fix.
/// </summary>
public sealed record S3Settings
{
    /// <summary>host[:port]; a http:// or https:// prefix also sets <see cref="Secure"/>.</summary>
    public required string Endpoint { get; init; }
    /// <summary>TLS on (default) or off.</summary>
    public bool Secure { get; init; } = true;
    /// <summary>Signing region; default us-east-1 (MinIO's default), which saves a bucket-location lookup.</summary>
    public string Region { get; init; } = "us-east-1";
    /// <summary>
    /// Path-style addressing (endpoint/bucket/key). The Minio SDK uses it for every non-AWS endpoint and
    /// virtual-hosted style only for *.amazonaws.com, so false is accepted only for AWS endpoints.
    /// </summary>
    public bool PathStyle { get; init; } = true;
    public required string AccessKey { get; init; }
    public required string SecretKey { get; init; }

    public const string EndpointVariable = "LINEAGE_S3_ENDPOINT";
    public const string TlsVariable = "LINEAGE_S3_TLS";
    public const string RegionVariable = "LINEAGE_S3_REGION";
    public const string PathStyleVariable = "LINEAGE_S3_PATH_STYLE";
    public const string AccessKeyVariable = "LINEAGE_S3_ACCESS_KEY";
    public const string SecretKeyVariable = "LINEAGE_S3_SECRET_KEY";

    /// <summary>
    /// Reads LINEAGE_S3_ENDPOINT, LINEAGE_S3_TLS, LINEAGE_S3_REGION, LINEAGE_S3_PATH_STYLE and the credentials:
    /// LINEAGE_S3_ACCESS_KEY / LINEAGE_S3_SECRET_KEY (or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY), or the
    /// same names with a _FILE suffix pointing at mounted Secret files.
    /// </summary>
    public static S3Settings FromEnvironment(Func<string, string?>? variables = null)
    {
        var env = variables ?? Environment.GetEnvironmentVariable;
        string endpoint = env(EndpointVariable) is { Length: > 0 } e ? e
            : throw new ArtifactStoreException($"{EndpointVariable} is not set: an s3:// location needs the S3 endpoint (host:port or http(s)://host:port)");
        bool secure = !endpoint.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
        if (env(TlsVariable) is { Length: > 0 } tls) secure = Flag(tls, TlsVariable);
        var settings = new S3Settings
        {
            Endpoint = endpoint,
            Secure = secure,
            Region = env(RegionVariable) is { Length: > 0 } region ? region : "us-east-1",
            PathStyle = env(PathStyleVariable) is not { Length: > 0 } path || Flag(path, PathStyleVariable),
            AccessKey = Secret(env, AccessKeyVariable, "AWS_ACCESS_KEY_ID"),
            SecretKey = Secret(env, SecretKeyVariable, "AWS_SECRET_ACCESS_KEY"),
        };
        settings.Validate();
        return settings;
    }

    /// <summary>host:port without a scheme, as the SDK wants it.</summary>
    public string HostAndPort => Endpoint.Contains("://", StringComparison.Ordinal) ? new Uri(Endpoint).Authority : Endpoint.TrimEnd('/');

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(HostAndPort)) throw new ArtifactStoreException($"{EndpointVariable}: '{Endpoint}' is not host:port");
        if (!PathStyle && !HostAndPort.Contains(".amazonaws.com", StringComparison.OrdinalIgnoreCase))
            throw new ArtifactStoreException($"{PathStyleVariable}=false: virtual-hosted addressing is only used for AWS endpoints, not '{HostAndPort}'; leave path-style on for MinIO");
    }

    static bool Flag(string value, string name) => value.Trim().ToLowerInvariant() switch
    {
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" => false,
        _ => throw new ArtifactStoreException($"{name}: '{value}' is not true or false"),
    };

    static string Secret(Func<string, string?> env, string name, string awsName)
    {
        foreach (var variable in new[] { name, awsName })
        {
            if (env(variable) is { Length: > 0 } direct) return direct;
            if (env(variable + "_FILE") is { Length: > 0 } file)
            {
                if (!File.Exists(file)) throw new ArtifactStoreException($"{variable}_FILE: '{file}' does not exist (is the Secret mounted?)");
                return File.ReadAllText(file).Trim();
            }
        }
        throw new ArtifactStoreException($"{name} (or {name}_FILE, {awsName}) is not set: S3 credentials are needed for s3:// locations");
    }
}
