namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>The built-in kinds the operator uses.</summary>
internal static class BuiltInResources
{
    public static readonly ResourceType Namespaces = new("", "v1", "namespaces", "Namespace", Namespaced: false, HasStatus: true, ShortNames: ["ns"]);

    public static readonly ResourceType CustomResourceDefinitions =
        new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", Namespaced: false, HasStatus: true,
            ShortNames: ["crd", "crds"]);

    public static readonly ResourceType Pods = new("", "v1", "pods", "Pod", Namespaced: true, HasStatus: true, ReturnsObjectOnDelete: true, ShortNames: ["po"]);

    public static IEnumerable<ResourceType> All =>
    [
        Namespaces,
        new("", "v1", "configmaps", "ConfigMap", Namespaced: true, HasStatus: false, ShortNames: ["cm"]),
        new("", "v1", "secrets", "Secret", Namespaced: true, HasStatus: false),
        new("", "v1", "events", "Event", Namespaced: true, HasStatus: false, ShortNames: ["ev"]),
        Pods,
        new("", "v1", "nodes", "Node", Namespaced: false, HasStatus: true, ShortNames: ["no"]),
        new("", "v1", "services", "Service", Namespaced: true, HasStatus: true, ReturnsObjectOnDelete: true, ShortNames: ["svc"]),
        new("", "v1", "serviceaccounts", "ServiceAccount", Namespaced: true, HasStatus: false, ShortNames: ["sa"]),
        new("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", Namespaced: true, HasStatus: true, ShortNames: ["pvc"]),
        new("batch", "v1", "jobs", "Job", Namespaced: true, HasStatus: true),
        new("coordination.k8s.io", "v1", "leases", "Lease", Namespaced: true, HasStatus: false),
        new("events.k8s.io", "v1", "events", "Event", Namespaced: true, HasStatus: false, ShortNames: ["ev"]),
        CustomResourceDefinitions,
    ];
}
