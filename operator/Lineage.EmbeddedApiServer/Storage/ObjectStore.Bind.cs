using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

internal sealed partial class ObjectStore
{
    /// <summary>
    /// POST pods/NAME/binding (what a scheduler does): sets spec.nodeName of a pod that has none, as kube-apiserver's
    /// binding REST does; a bound or deleting pod is a 409, a target that is not a Node a 422.
    /// </summary>
    public StoredObject Bind(string ns, string name, JsonObject binding, WriteRequest request) => Write(() =>
    {
        var pods = BuiltInResources.Pods;
        var pod = Existing(pods, ns, name);
        var target = binding["target"] as JsonObject;
        var node = (string?)target?["name"];
        var kind = (string?)target?["kind"];
        if (string.IsNullOrEmpty(node)) throw ApiException.Invalid(pods, name, "target.name", "Required value");
        if (!string.IsNullOrEmpty(kind) && kind != "Node") throw ApiException.Invalid(pods, name, "target.kind", $"Invalid value: \"{kind}\": must be empty or 'Node'");
        if (pod.IsDeleting)
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is being deleted, cannot be assigned to a host");
        var next = pod.MutableCopy();
        var spec = next["spec"] as JsonObject ?? throw ApiException.Invalid(pods, name, "spec", "Required value");
        if ((string?)spec["nodeName"] is { Length: > 0 } bound)
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on pods/binding \"{name}\": pod {name} is already assigned to node \"{bound}\"");
        spec["nodeName"] = node;
        return Commit(pods, pod, next, request, "binding");
    });
}
