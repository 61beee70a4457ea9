using System.Globalization;
using System.Text.Json.Nodes;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// What kube-apiserver v1.36 refuses in a Job's status (pkg/apis/batch/validation: validateJobStatus, then
/// ValidateJobStatusUpdate), in its order and wording: terminal conditions only with their interim condition
/// (Complete with SuccessCriteriaMet, Failed with FailureTarget), no active or terminating pods once finished,
/// startTime required when finished and fixed once set, completionTime only with Complete, not before
/// startTime and fixed once set, terminal conditions and counters never going back. Indexed-Job and
/// successPolicy rules are not reproduced (the operator's Jobs are NonIndexed, without a success policy).
/// </summary>
internal static class JobStatusRules
{
    public static List<string> Check(JsonObject job, JsonObject? old)
    {
        var errors = new List<string>();
        var status = job["status"] as JsonObject ?? new JsonObject();
        foreach (var count in new[] { "active", "succeeded", "failed", "ready", "terminating" })
            if (Long(status[count]) is < 0 and var negative)
                errors.Add($"status.{count}: Invalid value: {negative}: must be greater than or equal to 0");

        var complete = IsTrue(status, "Complete");
        var failed = IsTrue(status, "Failed");
        var failureTarget = IsTrue(status, "FailureTarget");
        var successCriteriaMet = IsTrue(status, "SuccessCriteriaMet");
        var finished = complete || failed;
        var startTime = Time(status["startTime"]);
        var completionTime = Time(status["completionTime"]);

        if (complete && failed)
            errors.Add("status.conditions: Invalid value: cannot set Complete=True and Failed=true conditions");
        if (complete && failureTarget)
            errors.Add("status.conditions: Invalid value: cannot set Complete=True and FailureTarget=true conditions");
        if (completionTime is { } notComplete && !complete)
            errors.Add($"status.completionTime: Invalid value: {GoTime(notComplete)}: cannot set completionTime when there is no Complete=True condition");
        if (completionTime is null && complete)
            errors.Add("status.completionTime: Required value: completionTime is required for Complete jobs");
        if (startTime is not null && completionTime is { } early && early < startTime)
            errors.Add($"status.completionTime: Invalid value: {GoTime(early)}: completionTime cannot be set before startTime");
        if (failed && !failureTarget)
            errors.Add("status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition");
        if (complete && !successCriteriaMet)
            errors.Add("status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition");
        if (finished && Long(status["active"]) is > 0 and var active)
            errors.Add($"status.active: Invalid value: {active}: active>0 is invalid for finished job");
        if (finished && startTime is null)
            errors.Add("status.startTime: Required value: startTime is required for finished job");
        if (finished && Long(status["terminating"]) is > 0 and var terminating)
            errors.Add($"status.terminating: Invalid value: {terminating}: terminating>0 is invalid for finished job");
        if (Long(status["ready"]) is { } ready && ready > (Long(status["active"]) ?? 0))
            errors.Add($"status.ready: Invalid value: {ready}: cannot set more ready pods than active");
        if (successCriteriaMet && failed)
            errors.Add("status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and Failed=true conditions");
        if (successCriteriaMet && failureTarget)
            errors.Add("status.conditions: Invalid value: cannot set SuccessCriteriaMet=True and FailureTarget=true conditions");

        if (old is null) return errors;
        var oldStatus = old["status"] as JsonObject ?? new JsonObject();
        foreach (var terminal in new[] { "Failed", "Complete", "FailureTarget" })
            if (IsTrue(oldStatus, terminal) && !IsTrue(status, terminal))
                errors.Add($"status.conditions: Invalid value: cannot disable the terminal {terminal}=True condition");
        foreach (var counter in new[] { "failed", "succeeded" })
            if ((Long(status[counter]) ?? 0) < (Long(oldStatus[counter]) ?? 0))
                errors.Add($"status.{counter}: Invalid value: {Long(status[counter]) ?? 0}: cannot decrease the {counter} counter");
        if (Time(oldStatus["completionTime"]) is { } oldCompletion && completionTime is { } newCompletion && oldCompletion != newCompletion)
            errors.Add($"status.completionTime: Invalid value: {GoTime(newCompletion)}: completionTime cannot be mutated");
        var suspended = job["spec"]?["suspend"] is JsonValue s && s.TryGetValue<bool>(out var isSuspended) && isSuspended;
        if (Time(oldStatus["startTime"]) is { } oldStart && oldStart != startTime && !suspended)
            errors.Add("status.startTime: Required value: startTime cannot be removed for unsuspended job");
        if (IsTrue(oldStatus, "SuccessCriteriaMet") && !successCriteriaMet)
            errors.Add("status.conditions: Invalid value: cannot disable the SuccessCriteriaMet=True condition");
        if (IsTrue(oldStatus, "Complete") && !IsTrue(oldStatus, "SuccessCriteriaMet") && successCriteriaMet)
            errors.Add("status.conditions: Invalid value: cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions");
        return errors;
    }

    private static bool IsTrue(JsonObject status, string type) =>
        status["conditions"] is JsonArray conditions && conditions.OfType<JsonObject>().Any(c =>
            c["type"]?.GetValue<string>() == type && c["status"]?.GetValue<string>() == "True");

    private static long? Long(JsonNode? node) =>
        node is JsonValue v && long.TryParse(v.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    /// <summary>How Go prints a metav1.Time in a field error (time.Time's String).</summary>
    private static string GoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture);
}
