using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// What real built-in strategies do that a client can notice: Job defaulting (selector, controller labels),
/// immutable fields (Job spec, Pod spec, immutable ConfigMaps and Secrets, Secret type), the Job status
/// rules, timestamps of built-in kinds kept to whole seconds, and Secret <c>stringData</c> folded into <c>data</c>.
/// </summary>
internal static class BuiltInRules
{
    private static readonly string[] JobImmutableSpec = ["selector", "template", "completions", "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "successPolicy", "managedBy"];
    private static readonly string[] PodMutableSpec = ["activeDeadlineSeconds", "tolerations", "terminationGracePeriodSeconds"];

    private static bool IsJob(ResourceType type) => type.Group == "batch" && type.Plural == "jobs";
    private static bool IsPod(ResourceType type) => type.Group.Length == 0 && type.Plural == "pods";
    private static bool IsSecret(ResourceType type) => type.Group.Length == 0 && type.Plural == "secrets";
    private static bool IsConfigMap(ResourceType type) => type.Group.Length == 0 && type.Plural == "configmaps";

    /// <summary>Applied to every create and update, before anything is stored.</summary>
    public static void Normalize(ResourceType type, JsonObject obj)
    {
        if (IsSecret(type)) FoldStringData(obj);
        if (IsJob(type) && obj["status"] is JsonObject status) WholeSeconds(status);
    }

    public static void OnCreate(ResourceType type, JsonObject obj)
    {
        if (IsJob(type)) DefaultJob(obj);
    }

    /// <param name="subresource">status, binding (which alone may set a pod's spec.nodeName), or null for the object.</param>
    public static void CheckUpdate(ResourceType type, StoredObject current, JsonObject before, JsonObject next, string? subresource)
    {
        bool statusWrite = subresource == "status";
        var errors = new List<string>();
        if (IsJob(type))
        {
            foreach (var field in JobImmutableSpec)
                if (!JsonNode.DeepEquals(before["spec"]?[field], next["spec"]?[field]))
                    errors.Add($"spec.{field}: Invalid value: {Show(next["spec"]?[field])}: field is immutable");
            if (statusWrite && !JsonNode.DeepEquals(before["status"], next["status"]))
                errors.AddRange(JobStatusRules.Check(next, before));
        }
        if (IsPod(type) && subresource != "binding" && !JsonNode.DeepEquals(WithoutMutable(before["spec"]), WithoutMutable(next["spec"])))
            errors.Add("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");
        if ((IsSecret(type) || IsConfigMap(type)) && IsTrue(before["immutable"]))
        {
            if (!IsTrue(next["immutable"])) errors.Add("immutable: Forbidden: field is immutable when `immutable` is set");
            foreach (var field in new[] { "data", "binaryData" })
                if (!JsonNode.DeepEquals(before[field], next[field])) errors.Add($"{field}: Forbidden: field is immutable when `immutable` is set");
        }
        if (IsSecret(type) && !JsonNode.DeepEquals(before["type"], next["type"]) && before["type"] is not null)
            errors.Add($"type: Invalid value: {Show(next["type"])}: field is immutable");
        if (errors.Count > 0) throw ApiException.Invalid(type, current.Name, errors);
    }

    private static JsonNode? WithoutMutable(JsonNode? spec)
    {
        if (spec is not JsonObject obj) return spec;
        var copy = obj.DeepClone().AsObject();
        foreach (var field in PodMutableSpec) copy.Remove(field);
        foreach (var list in new[] { "containers", "initContainers" })
            if (copy[list] is JsonArray containers)
                foreach (var container in containers.OfType<JsonObject>()) container.Remove("image");
        return copy;
    }

    private static bool IsTrue(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";

    /// <summary>metav1.Time has whole seconds: the real server drops fractions when it decodes a built-in object.</summary>
    private static void WholeSeconds(JsonObject status)
    {
        foreach (var field in new[] { "startTime", "completionTime" }) Truncate(status, field);
        if (status["conditions"] is JsonArray conditions)
            foreach (var condition in conditions.OfType<JsonObject>())
                foreach (var field in new[] { "lastProbeTime", "lastTransitionTime" }) Truncate(condition, field);
    }

    private static void Truncate(JsonObject obj, string field)
    {
        if (obj[field] is JsonValue v && v.TryGetValue<string>(out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
            obj[field] = ObjectMeta.Timestamp(time);
    }

    private static void FoldStringData(JsonObject secret)
    {
        if (secret["stringData"] is not JsonObject stringData) return;
        var data = secret["data"] as JsonObject ?? new JsonObject();
        foreach (var (key, value) in stringData)
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
            data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        }
        secret["data"] = data;
        secret.Remove("stringData");
    }

    /// <summary>What kube-apiserver fills in on a new Job (pod template defaults are not reproduced).</summary>
    private static void DefaultJob(JsonObject job)
    {
        var meta = ObjectMeta.Of(job);
        var name = ObjectMeta.String(meta, "name")!;
        var uid = ObjectMeta.String(meta, "uid")!;
        var spec = job["spec"] as JsonObject ?? new JsonObject();
        job["spec"] = spec;
        spec["parallelism"] ??= 1L;
        spec["completions"] ??= 1L;
        spec["backoffLimit"] ??= 6L;
        spec["completionMode"] ??= "NonIndexed";
        spec["suspend"] ??= false;

        var template = spec["template"] as JsonObject ?? new JsonObject();
        spec["template"] = template;
        var templateMeta = template["metadata"] as JsonObject ?? new JsonObject();
        template["metadata"] = templateMeta;
        var podLabels = templateMeta["labels"] as JsonObject ?? new JsonObject();
        templateMeta["labels"] = podLabels;
        if (meta["labels"] is not JsonObject { Count: > 0 }) meta["labels"] = podLabels.DeepClone();
        podLabels["batch.kubernetes.io/controller-uid"] = uid;
        podLabels["batch.kubernetes.io/job-name"] = name;
        podLabels["controller-uid"] = uid;
        podLabels["job-name"] = name;
        spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
    }
}
