using Lineage.LocalNode.Containers;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class PathRewriterTests
{
    static readonly PathRewriter Rewriter = new(new Dictionary<string, string>
    {
        ["/tmp"] = "/data/pods/u/volumes/tmp",
        ["/etc/lineage"] = "/data/pods/u/volumes/config",
        ["/etc/lineage/secrets"] = "/data/pods/u/volumes/secrets",
    });

    [Theory]
    [InlineData("/etc/lineage/config.yaml", "/data/pods/u/volumes/config/config.yaml")]
    [InlineData("/tmp", "/data/pods/u/volumes/tmp")]
    [InlineData("/tmp/", "/data/pods/u/volumes/tmp/")]
    [InlineData("--set output=/tmp/model", "--set output=/data/pods/u/volumes/tmp/model")]
    [InlineData("cat /tmp/a /etc/lineage/b", "cat /data/pods/u/volumes/tmp/a /data/pods/u/volumes/config/b")]
    [InlineData("file:///tmp/store", "file:///data/pods/u/volumes/tmp/store")]
    [InlineData("/etc/lineage/secrets/key", "/data/pods/u/volumes/secrets/key")]
    [InlineData("PATHS=/tmp:/etc/lineage", "PATHS=/data/pods/u/volumes/tmp:/data/pods/u/volumes/config")]
    [InlineData("'/tmp/x'", "'/data/pods/u/volumes/tmp/x'")]
    public void Mount_paths_are_replaced_by_their_folders(string input, string expected) => Assert.Equal(expected, Rewriter.Rewrite(input));

    [Theory]
    [InlineData("/tmpfile")]
    [InlineData("/data/tmp/x")]
    [InlineData("/etc/lineage.bak")]
    [InlineData("s3://bucket/tmp/x")]
    [InlineData("relative/tmp")]
    [InlineData("")]
    public void Text_that_only_contains_a_mount_path_inside_another_path_is_left_alone(string input) => Assert.Equal(input, Rewriter.Rewrite(input));

    [Fact]
    public void A_replaced_path_is_not_rewritten_again_even_when_the_folder_is_under_a_mount_path()
    {
        var rewriter = new PathRewriter(new Dictionary<string, string> { ["/tmp"] = "/tmp/node/pods/u/volumes/tmp" });

        Assert.Equal("/tmp/node/pods/u/volumes/tmp/x", rewriter.Rewrite("/tmp/x"));
    }
}
