using Lineage.LocalNode.Containers;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class ImageCommandsTests
{
    static readonly ImageCommands Images = new(new Dictionary<string, IReadOnlyList<string>>
    {
        ["ghcr.io/lineage-dev/lineage-trainer:0.1.0"] = ["exact"],
        ["ghcr.io/lineage-dev/lineage-trainer"] = ["repository"],
        ["localhost:5000/tools"] = ["with-port"],
    });

    [Theory]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer:0.1.0", "exact")]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer:0.2.0", "repository")]
    [InlineData("ghcr.io/lineage-dev/lineage-trainer@sha256:abc", "repository")]
    [InlineData("localhost:5000/tools:1", "with-port")]
    public void An_image_matches_its_name_then_its_repository(string image, string expected) => Assert.Equal(expected, Assert.Single(Images.EntrypointOf(image)!));

    [Fact]
    public void An_unmapped_image_has_no_command_unless_a_wildcard_is_given()
    {
        Assert.Null(Images.EntrypointOf("busybox"));
        Assert.Equal(["any"], new ImageCommands(new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["any"] }).EntrypointOf("busybox"));
    }
}
