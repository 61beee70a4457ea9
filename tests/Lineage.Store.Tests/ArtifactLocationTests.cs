using Lineage.Store.S3;

namespace Lineage.Store.Tests;

public sealed class ArtifactLocationTests
{
    static readonly Func<S3Settings> Settings = () => new S3Settings { Endpoint = "127.0.0.1:1", Secure = false, AccessKey = "a", SecretKey = "b" };

    [Fact]
    public void An_s3_uri_names_a_bucket_and_a_key_and_its_siblings()
    {
        var model = ArtifactLocation.Parse("s3://artifacts/lineages/math/gen-3/model", Settings);
        Assert.False(model.IsLocal);
        Assert.Equal("s3://artifacts", model.Store!.Root);
        Assert.Equal("lineages/math/gen-3/model", model.Key);
        var checkpoints = model.Sibling("checkpoints");
        Assert.Equal("s3://artifacts/lineages/math/gen-3/checkpoints", checkpoints.Uri);
        Assert.Equal("lineages/math/gen-3/checkpoints/step-5", checkpoints.Child("step-5").Key);
    }

    [Fact]
    public void File_uris_and_plain_paths_are_local()
    {
        Assert.Equal("/tmp/x/model", ArtifactLocation.Parse("file:///tmp/x/model").LocalPath);
        Assert.Equal(Path.GetFullPath("rel/model"), ArtifactLocation.Parse("rel/model").LocalPath);
        Assert.Equal("/tmp/x/progress.json", ArtifactLocation.Parse("/tmp/x/model").Sibling("progress.json").LocalPath);
    }

    [Theory]
    [InlineData("gs://bucket/model", "unsupported location scheme")]
    [InlineData("s3:///model", "no bucket")]
    [InlineData("  ", "location is empty")]
    public void Bad_locations_say_what_is_wrong(string value, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => ArtifactLocation.Parse(value, Settings)).Message);
}
