using k8s.Models;
using Lineage.Operator.Rendering;

namespace Lineage.Operator.Controllers;

/// <summary>
/// What the controllers keep of a Job: its name, uid, resourceVersion and owners (to map it to its run or Generation),
/// the config hash annotation (a suspended Job whose config an edit changed is replaced), <c>spec.suspend</c> and the
/// status (<see cref="Decisions.JobState"/>). The pod template, selector, pod failure policy, labels and the rest are
/// most of a Job and nothing reads them from the cache (a Job held ~2.5 KB, the largest share of 1,000 × 10's heap:
/// docs/benchmarks/operator.md, "Memory, 2026-12-06"); a controller that writes a Job back reads it live first.
/// </summary>
public static class CachedJob
{
    public static void Slim(V1Job job)
    {
        var meta = job.Metadata;
        job.Metadata = new V1ObjectMeta
        {
            Name = meta.Name,
            NamespaceProperty = meta.NamespaceProperty,
            Uid = meta.Uid,
            ResourceVersion = meta.ResourceVersion,
            Generation = meta.Generation,
            CreationTimestamp = meta.CreationTimestamp,
            DeletionTimestamp = meta.DeletionTimestamp,
            OwnerReferences = meta.OwnerReferences,
            Annotations = meta.Annotations?.TryGetValue(TrainerConfigFile.HashAnnotation, out var hash) == true
                ? new Dictionary<string, string>(1) { [TrainerConfigFile.HashAnnotation] = hash }
                : null,
        };
        job.Spec = new V1JobSpec { Suspend = job.Spec?.Suspend, Template = null! };
    }
}
