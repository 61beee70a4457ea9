using k8s;

namespace Lineage.Operator.Controllers;

/// <summary>Status equality as the API server sees it: the serialized JSON (records compare lists by reference).</summary>
public static class StatusJson
{
    public static bool Same(object? a, object? b) => Of(a) == Of(b);

    static string Of(object? value) => value is null ? "null" : KubernetesJson.Serialize(value);
}
