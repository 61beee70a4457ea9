using System.Text;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// The few things real built-in strategies do that an operator can notice: Job defaulting (selector,
/// controller labels) and its immutable fields, and Secret <c>stringData</c> folded into <c>data</c>.
/// </summary>
internal static class BuiltInRules
{
    private static bool IsJob(ResourceType type) => type.Group == "batch" && type.Plural == "jobs";
    private static bool IsSecret(ResourceType type) => type.Group.Length == 0 && type.Plural == "secrets";

    /// <summary>Applied to every create and update, before anything is stored.</summary>
    public static void Normalize(ResourceType type, JsonObject obj)
    {
        if (IsSecret(type)) FoldStringData(obj);
    }

    public static void OnCreate(ResourceType type, JsonObject obj)
    {
        if (IsJob(type)) DefaultJob(obj);
    }

    public static void CheckUpdate(ResourceType type, StoredObject current, JsonObject before, JsonObject next)
    {
        if (!IsJob(type)) return;
        foreach (var field in new[] { "template", "selector", "completionMode" })
        {
            if (!JsonNode.DeepEquals(before["spec"]?[field], next["spec"]?[field]))
                throw ApiException.Invalid(type, current.Name, $"spec.{field}", "Invalid value: field is immutable");
        }
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
