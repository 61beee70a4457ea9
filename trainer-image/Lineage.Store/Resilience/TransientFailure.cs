using System.Net;
using System.Net.Sockets;
using Minio.Exceptions;

namespace Lineage.Store.Resilience;

/// <summary>
/// Which failures are worth another attempt: refused or reset connections, timeouts, 5xx, 408 and 429 (and the SDK's own
/// NullReferenceException on an unreadable answer).
/// Everything else (403, missing bucket, bad data, local file errors) is permanent and fails at once.
/// </summary>
public static class TransientFailure
{
    public static bool Is(Exception e, CancellationToken callerToken)
    {
        switch (e)
        {
            case ArtifactStoreException or InvalidDataException:
                return false;
            case OperationCanceledException:
                return !callerToken.IsCancellationRequested;   // an SDK/HTTP timeout, not the caller giving up
            case TimeoutException or SocketException or HttpIOException:
                return true;
            case HttpRequestException http:
                return http.StatusCode is null || IsTransientStatus(http.StatusCode.Value);
            case ConnectionException or InternalServerException or UnexpectedShortReadException:
                return true;
            case BucketNotFoundException or AccessDeniedException or ForbiddenException or ObjectNotFoundException
                or InvalidBucketNameException or InvalidObjectNameException or InvalidEndpointException:
                return false;
            case MinioException minio when minio.ServerResponse is { } response:
                return IsTransientStatus(response.StatusCode) || (e.InnerException is { } inner && Is(inner, callerToken));
            case FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException:
                return false;
            case NullReferenceException { Source: "Minio" }:
                // The Minio SDK 7.0.0's error parser (ParseWellKnownErrorNoContent) throws this when a request got no
                // answer it can read; seen in the chaos benchmark around S3 server restarts, where it crashed trainers
                // instead of being retried like the outage it is.
                return true;
            case IOException when e.GetType() == typeof(IOException):
                return true;   // a broken transfer (connection reset under the stream)
        }
        return e.InnerException is { } cause && Is(cause, callerToken);
    }

    static bool IsTransientStatus(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || status == 0;
}
