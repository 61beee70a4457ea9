using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class ChangeFiltersTests
{
    static Widget Version(Action<Widget>? change = null)
    {
        var w = Widget.Named("team", "w");
        w.Metadata.Generation = 1;
        w.Metadata.Labels = new Dictionary<string, string> { ["a"] = "1" };
        w.Status = new WidgetStatus { Phase = "Ready" };
        change?.Invoke(w);
        return w;
    }

    public static TheoryData<string, Action<Widget>, bool> Changes => new()
    {
        { "status only", w => w.Status = new WidgetStatus { Phase = "Failed" }, false },
        { "resourceVersion only", w => w.Metadata.ResourceVersion = "99", false },
        { "spec (generation)", w => w.Metadata.Generation = 2, true },
        { "label", w => w.Metadata.Labels["a"] = "2", true },
        { "annotation", w => w.Metadata.Annotations = new Dictionary<string, string> { ["approve"] = "true" }, true },
        { "finalizer", w => w.Metadata.Finalizers = ["x/cleanup"], true },
        { "deletion", w => w.Metadata.DeletionTimestamp = DateTime.UtcNow, true },
        { "owner", w => w.Metadata.OwnerReferences = [new V1OwnerReference { Kind = "Widget", Name = "p", ApiVersion = Widget.Api }], true },
    };

    [Theory]
    [MemberData(nameof(Changes))]
    public void Only_status_only_changes_are_skipped(string what, Action<Widget> change, bool reconcile) =>
        Assert.True(reconcile == ChangeFilters.SpecOrMetadataChanged(Version(change), Version()), what);

    [Fact]
    public void Without_a_previous_version_the_change_always_passes() =>
        Assert.True(ChangeFilters.SpecOrMetadataChanged(Version(), null));
}
