using Minio.Exceptions;

namespace Lineage.Store.S3;

/// <summary>Turns the SDK's permanent errors into one line that names the bucket, the key and what to check.</summary>
static class S3Failure
{
    public static ArtifactStoreException? Describe(Exception e, S3Settings settings, string bucket, string key)
    {
        string where = $"s3://{bucket}/{key} at {settings.HostAndPort}";
        string? code = (e as MinioException)?.Response?.Code;
        string? hint = e switch
        {
            BucketNotFoundException => $"bucket '{bucket}' does not exist; create it or fix the bucket in the store URI",
            _ when code is "NoSuchBucket" => $"bucket '{bucket}' does not exist; create it or fix the bucket in the store URI",
            _ when code is "InvalidAccessKeyId" or "SignatureDoesNotMatch" =>
                $"the server rejected the credentials ({code}); check {S3Settings.AccessKeyVariable}/{S3Settings.SecretKeyVariable} or the mounted Secret",
            AccessDeniedException or ForbiddenException or AuthorizationException =>
                $"access denied; check the credentials ({S3Settings.AccessKeyVariable}/{S3Settings.SecretKeyVariable} or the mounted Secret) and that their policy allows this bucket and prefix",
            InvalidBucketNameException => $"'{bucket}' is not a valid bucket name",
            InvalidObjectNameException => $"'{key}' is not a valid object name",
            InvalidEndpointException => $"'{settings.Endpoint}' is not a valid endpoint; check {S3Settings.EndpointVariable}",
            _ => null,
        };
        return hint is null ? null : new ArtifactStoreException($"{where}: {hint}", e);
    }
}
