using System.Globalization;
using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Storage;

namespace Lineage.EmbeddedApiServer.Http;

/// <summary>
/// The columns kube-apiserver's table printers give the built-in kinds a local user lists: namespaces
/// (STATUS), pods (READY, STATUS, RESTARTS), jobs (STATUS, COMPLETIONS, DURATION), configmaps and secrets (DATA).
/// </summary>
internal static class BuiltInColumns
{
    public static IReadOnlyList<TableColumn>? For(ResourceType type) => (type.Group, type.Plural) switch
    {
        ("", "namespaces") => [Text("Status", o => o["status"]?["phase"]), Age],
        ("", "pods") => [Text("Ready", PodReady), Text("Status", PodStatus), Integer("Restarts", PodRestarts), Age],
        ("batch", "jobs") => [Text("Status", JobStatus), Text("Completions", JobCompletions), Text("Duration", JobDuration), Age],
        ("", "configmaps") => [Integer("Data", o => Count(o["data"]) + Count(o["binaryData"])), Age],
        ("", "secrets") => [Text("Type", o => o["type"]), Integer("Data", o => Count(o["data"])), Age],
        _ => null,
    };

    private static readonly TableColumn Age = new("Age", "string", "", 0, (o, now) => TableView.AgeOf(o["metadata"]?["creationTimestamp"], now));

    private static TableColumn Text(string name, Func<JsonObject, JsonNode?> value) => new(name, "string", "", 0, (o, _) => value(o)?.DeepClone());
    private static TableColumn Text(string name, Func<JsonObject, DateTimeOffset, string?> value) => new(name, "string", "", 0, (o, now) => value(o, now));
    private static TableColumn Text(string name, Func<JsonObject, string?> value) => new(name, "string", "", 0, (o, _) => value(o));
    private static TableColumn Integer(string name, Func<JsonObject, int> value) => new(name, "integer", "", 0, (o, _) => value(o));

    private static int Count(JsonNode? map) => map is JsonObject o ? o.Count : 0;

    private static IEnumerable<JsonObject> ContainerStatuses(JsonObject pod) =>
        (pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static string PodReady(JsonObject pod)
    {
        var total = (pod["spec"]?["containers"] as JsonArray)?.Count ?? 0;
        var ready = ContainerStatuses(pod).Count(c => c["ready"] is JsonValue v && v.TryGetValue<bool>(out var r) && r);
        return $"{ready}/{total}";
    }

    private static int PodRestarts(JsonObject pod) =>
        ContainerStatuses(pod).Sum(c => (int)Number(c["restartCount"]));

    /// <summary>kubectl's pod status: a waiting or terminated container's reason over the phase, Terminating when deleting.</summary>
    private static string PodStatus(JsonObject pod)
    {
        var reason = pod["status"]?["reason"]?.GetValue<string>() ?? pod["status"]?["phase"]?.GetValue<string>() ?? "Pending";
        foreach (var container in ContainerStatuses(pod).Reverse())
        {
            if (container["state"]?["waiting"]?["reason"]?.GetValue<string>() is { Length: > 0 } waiting) reason = waiting;
            else if (container["state"]?["terminated"] is JsonObject terminated)
                reason = terminated["reason"]?.GetValue<string>() is { Length: > 0 } why ? why : $"ExitCode:{terminated["exitCode"]}";
        }
        return pod["metadata"]?["deletionTimestamp"] is not null ? "Terminating" : reason;
    }

    private static string JobStatus(JsonObject job)
    {
        bool Has(string type) => (job["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .Any(c => c["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == "True") == true;
        if (Has("Complete")) return "Complete";
        if (Has("Failed")) return "Failed";
        if (job["metadata"]?["deletionTimestamp"] is not null) return "Terminating";
        if (Has("Suspended")) return "Suspended";
        return Has("FailureTarget") ? "FailureTarget" : Has("SuccessCriteriaMet") ? "SuccessCriteriaMet" : "Running";
    }

    private static string JobCompletions(JsonObject job) =>
        $"{Number(job["status"]?["succeeded"])}/{(job["spec"]?["completions"] is null ? 1 : Number(job["spec"]?["completions"]))}";

    private static long Number(JsonNode? node) => node is JsonValue v && long.TryParse(v.ToJsonString(), out var n) ? n : 0;

    private static string? JobDuration(JsonObject job, DateTimeOffset now)
    {
        if (Time(job["status"]?["startTime"]) is not { } start) return "";
        var end = Time(job["status"]?["completionTime"]) ?? now;
        return TableView.Age(end - start);
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
