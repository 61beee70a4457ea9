using k8s;
using k8s.Models;
using Lineage.Operator.Runtime;
using Lineage.LocalNode.Pods;

namespace Lineage.LocalNode.Jobs;

/// <summary>The pods of a Job: how a new one is made from the template, and which pods a Job controls.</summary>
public static class JobPods
{
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";
    static readonly KindInfo JobKind = KindInfo.Of<V1Job>();

    /// <summary>
    /// A pod from the Job's template (GetPodFromTemplate): generateName <c>&lt;job&gt;-</c>, the template's labels plus
    /// the Job's controller labels, its annotations, finalizers plus the tracking finalizer, and the Job as controller owner.
    /// </summary>
    public static V1Pod NewPod(V1Job job)
    {
        var template = KubernetesJson.Deserialize<V1PodTemplateSpec>(KubernetesJson.Serialize(job.Spec.Template));
        var meta = template.Metadata ?? new V1ObjectMeta();
        var labels = new Dictionary<string, string>(meta.Labels ?? new Dictionary<string, string>())
        {
            [ControllerUidLabel] = job.Metadata.Uid,
            [JobNameLabel] = job.Metadata.Name,
            [LegacyControllerUidLabel] = job.Metadata.Uid,
            [LegacyJobNameLabel] = job.Metadata.Name,
        };
        var finalizers = new List<string>(meta.Finalizers ?? []);
        if (!finalizers.Contains(JobConditions.TrackingFinalizer)) finalizers.Add(JobConditions.TrackingFinalizer);
        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                GenerateName = job.Metadata.Name + "-",
                NamespaceProperty = job.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = meta.Annotations is null ? null : new Dictionary<string, string>(meta.Annotations),
                Finalizers = finalizers,
                OwnerReferences = [OwnerMapping.ControllerReference(job)],
            },
            Spec = template.Spec,
        };
    }

    /// <summary>The key of the Job that controls a pod, when its controller is a batch/v1 Job.</summary>
    public static ObjectKey? JobOf(V1Pod pod) => OwnerMapping.ControllerOf(pod, JobKind);

    /// <summary>Whether the pod's controller reference names this Job (same uid).</summary>
    public static bool ControlledBy(V1Pod pod, V1Job job) =>
        OwnerMapping.IsControlledBy(pod.Metadata, job) && pod.Metadata.NamespaceProperty == job.Metadata.NamespaceProperty;
}
