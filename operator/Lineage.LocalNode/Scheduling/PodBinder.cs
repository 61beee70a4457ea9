using k8s;
using k8s.Models;
using Lineage.Operator.Runtime;
using Microsoft.Extensions.Logging;

namespace Lineage.LocalNode.Scheduling;

/// <summary>
/// Binds a pod to the node through the <c>pods/binding</c> subresource, as kube-scheduler does. A server that does
/// not serve that subresource (404 while the pod exists) gets a PUT of the pod with <c>spec.nodeName</c> instead,
/// which such a server accepts; the choice is remembered.
/// </summary>
public sealed class PodBinder(IKubernetes client, ILogger log)
{
    readonly ResourceClient<V1Pod> pods = new(client);
    volatile bool bindingServed = true;

    public async Task BindAsync(V1Pod pod, string nodeName, CancellationToken ct)
    {
        if (bindingServed)
        {
            try
            {
                var binding = new V1Binding
                {
                    Metadata = new V1ObjectMeta { Name = pod.Metadata.Name, NamespaceProperty = pod.Metadata.NamespaceProperty, Uid = pod.Metadata.Uid },
                    Target = new V1ObjectReference { ApiVersion = "v1", Kind = "Node", Name = nodeName },
                };
                await client.CoreV1.CreateNamespacedPodBindingAsync(binding, pod.Metadata.Name, pod.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (ApiErrors.IsNotFound(e))
            {
                if (await pods.GetAsync(pod.Key(), ct).ConfigureAwait(false) is null) throw;
                bindingServed = false;
                log.LogInformation("the API server does not serve pods/binding; binding pods by setting spec.nodeName");
            }
        }
        var copy = KubernetesJson.Deserialize<V1Pod>(KubernetesJson.Serialize(pod));
        copy.Spec.NodeName = nodeName;
        await pods.ReplaceAsync(copy, ct).ConfigureAwait(false);
    }
}
