using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class OwnerMappingTests
{
    static readonly KindInfo Widget = KindInfo.Of<Widget>();

    static V1Job JobOwnedBy(params V1OwnerReference[] owners) =>
        new() { Metadata = new V1ObjectMeta { Name = "job", NamespaceProperty = "team", OwnerReferences = owners } };

    [Fact]
    public void A_job_maps_to_the_widget_that_controls_it() =>
        Assert.Equal(new ObjectKey("team", "w1"), OwnerMapping.ControllerOf(
            JobOwnedBy(new V1OwnerReference { ApiVersion = "test.lineage.dev/v1", Kind = "Widget", Name = "w1", Controller = true }), Widget));

    [Theory]
    [InlineData("test.lineage.dev/v1", "Widget", false)]
    [InlineData("test.lineage.dev/v1", "Gadget", true)]
    [InlineData("other.dev/v1", "Widget", true)]
    [InlineData("test.lineage.dev/v2", "Widget", true)]
    public void Owners_that_are_not_the_controller_of_the_right_kind_are_ignored(string apiVersion, string kind, bool controller) =>
        Assert.Null(OwnerMapping.ControllerOf(
            JobOwnedBy(new V1OwnerReference { ApiVersion = apiVersion, Kind = kind, Name = "w1", Controller = controller }), Widget));

    [Fact]
    public void The_controller_reference_is_found_among_other_owners() =>
        Assert.Equal(new ObjectKey("team", "w2"), OwnerMapping.ControllerOf(JobOwnedBy(
            new V1OwnerReference { ApiVersion = "test.lineage.dev/v1", Kind = "Widget", Name = "w1" },
            new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "c", Controller = true },
            new V1OwnerReference { ApiVersion = "test.lineage.dev/v1", Kind = "Widget", Name = "w2", Controller = true }), Widget));

    [Fact]
    public void An_object_without_owners_maps_to_nothing() =>
        Assert.Null(OwnerMapping.ControllerOf(new V1Job { Metadata = new V1ObjectMeta { Name = "j" } }, Widget));

    [Fact]
    public void A_controller_reference_points_back_at_the_owner()
    {
        var owner = new Widget { Metadata = new V1ObjectMeta { Name = "w", NamespaceProperty = "team", Uid = "u-1" } };
        var reference = OwnerMapping.ControllerReference(owner);
        Assert.Equal(new ObjectKey("team", "w"), OwnerMapping.ControllerOf(JobOwnedBy(reference), Widget));
        Assert.Equal("u-1", reference.Uid);
    }
}
