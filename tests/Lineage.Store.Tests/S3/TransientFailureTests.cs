using Lineage.Store.Resilience;

namespace Lineage.Store.Tests.S3;

public sealed class TransientFailureTests
{
    [Fact]
    public void The_Minio_SDKs_NullReferenceException_on_an_unreadable_answer_is_retried_and_ours_is_not()
    {
        // The chaos benchmark's trainer logs: "Unhandled exception: System.NullReferenceException … at
        // Minio.MinioClient.ParseWellKnownErrorNoContent(ResponseResult response)" while s3rver was restarted.
        Assert.True(TransientFailure.Is(Thrown(source: "Minio"), CancellationToken.None));
        Assert.False(TransientFailure.Is(Thrown(source: null), CancellationToken.None));
        Assert.False(TransientFailure.Is(new InvalidDataException("sha256 … (corrupted)"), CancellationToken.None));
    }

    static NullReferenceException Thrown(string? source)
    {
        try
        {
            string? nothing = null;
            _ = nothing!.Length;
            throw new InvalidOperationException("unreachable");
        }
        catch (NullReferenceException e)
        {
            if (source is not null) e.Source = source;
            return e;
        }
    }
}
