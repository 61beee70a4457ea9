using k8s.Models;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Tests.Runtime;

public sealed class KindInfoTests
{
    [Fact]
    public void Built_in_kinds_come_from_their_attributes()
    {
        Assert.Equal(new KindInfo("batch", "v1", "Job", "jobs"), KindInfo.Of<V1Job>());
        Assert.Equal("batch/v1", KindInfo.Of<V1Job>().ApiVersion);
        Assert.Equal(new KindInfo("", "v1", "ConfigMap", "configmaps"), KindInfo.Of<V1ConfigMap>());
        Assert.Equal("v1", KindInfo.Of<Corev1Event>().ApiVersion);
    }

    [Fact]
    public void Collections_are_under_api_for_the_core_group_and_apis_for_every_other()
    {
        Assert.Equal("api/v1/namespaces/ml/configmaps", KindInfo.Of<V1ConfigMap>().CollectionPath("ml"));
        Assert.Equal("apis/batch/v1/namespaces/ml/jobs", KindInfo.Of<V1Job>().CollectionPath("ml"));
        Assert.Equal("apis/test.lineage.dev/v1/widgets", KindInfo.Of<Widget>().CollectionPath(null));
    }

    [Fact]
    public void A_custom_kind_is_read_from_its_attribute() =>
        Assert.Equal("test.lineage.dev/v1", KindInfo.Of<Widget>().ApiVersion);

    [Fact]
    public void A_type_without_the_attribute_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => KindInfo.Of<string>());
        Assert.Contains("System.String", error.Message);
        Assert.Contains("[KubernetesEntity]", error.Message);
    }
}
