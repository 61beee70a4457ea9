using System.Diagnostics;
using Lineage.Store.S3;
using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.S3;

/// <summary>Errors that no retry fixes fail at once, saying which bucket and key, and what to check.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3PermanentErrorTests(S3rverServer server)
{
    static readonly TimeSpan Fast = TimeSpan.FromSeconds(5);   // the default retry budget is 3 minutes

    [Fact]
    public async Task A_missing_bucket_fails_fast_naming_bucket_and_key()
    {
        using var store = new S3Store(server.Settings, "no-such-bucket", "math");
        foreach (var operation in new Func<Task>[]
                 {
                     () => store.WriteAsync("gen-1/progress.json", new MemoryStream([1]), CancellationToken.None),
                     () => store.ListAsync("gen-1/", CancellationToken.None),
                     () => store.OpenReadAsync("gen-1/progress.json", CancellationToken.None),
                 })
        {
            var clock = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<ArtifactStoreException>(operation);
            Assert.True(clock.Elapsed < Fast, $"took {clock.Elapsed}");
            Assert.Contains("s3://no-such-bucket/math/gen-1/", error.Message);
            Assert.Contains("bucket 'no-such-bucket' does not exist", error.Message);
        }
    }

    [Fact]
    public async Task An_unknown_access_key_fails_fast_pointing_at_the_credential_settings()
    {
        // s3rver checks the access key but not V4 signatures, so a wrong secret cannot be shown here.
        using var store = new S3Store(server.Settings with { AccessKey = "nobody" }, S3rverServer.Bucket, "creds");
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<ArtifactStoreException>(() => store.WriteAsync("a.json", new MemoryStream([1]), CancellationToken.None));
        Assert.True(clock.Elapsed < Fast, $"took {clock.Elapsed}");
        Assert.Contains($"s3://{S3rverServer.Bucket}/creds/a.json", error.Message);
        Assert.Contains("access denied", error.Message);
        Assert.Contains(S3Settings.AccessKeyVariable, error.Message);
    }
}
