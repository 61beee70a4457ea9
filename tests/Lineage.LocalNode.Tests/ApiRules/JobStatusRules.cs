using k8s.Models;

namespace Lineage.LocalNode.Tests.ApiRules;

/// <summary>
/// What kube-apiserver v1.36 refuses in a Job status write (pkg/apis/batch/validation: validateJobStatus and
/// ValidateJobStatusUpdate, the checks that apply to NonIndexed Jobs), in its wording. The project's API server
/// does not enforce all of these yet; the tests hold every status the node writes to them.
/// </summary>
public static class JobStatusRules
{
    public static IReadOnlyList<string> Violations(V1Job? old, V1Job job)
    {
        var errors = new List<string>();
        var s = job.Status ?? new V1JobStatus();
        bool Is(V1Job? j, string type) => j?.Status?.Conditions?.Any(c => c.Type == type && c.Status == "True") == true;
        var complete = Is(job, "Complete");
        var failed = Is(job, "Failed");
        var finished = complete || failed;
        if (s.Active < 0 || s.Succeeded < 0 || s.Failed < 0 || s.Ready < 0 || s.Terminating < 0) errors.Add("status: counters must be non-negative");
        var uncounted = (s.UncountedTerminatedPods?.Succeeded ?? []).Concat(s.UncountedTerminatedPods?.Failed ?? []).ToList();
        if (uncounted.Any(string.IsNullOrEmpty) || uncounted.Distinct().Count() != uncounted.Count) errors.Add("status.uncountedTerminatedPods: empty or duplicate uid");
        if (complete && failed) errors.Add("status.conditions: cannot set Complete=True and Failed=true conditions");
        if (complete && Is(job, "FailureTarget")) errors.Add("status.conditions: cannot set Complete=True and FailureTarget=true conditions");
        if (s.CompletionTime is not null && !complete) errors.Add("status.completionTime: cannot set completionTime when there is no Complete=True condition");
        if (s.CompletionTime is null && complete) errors.Add("status.completionTime: completionTime is required for Complete jobs");
        if (s.StartTime is { } start && s.CompletionTime is { } end && end < start) errors.Add("status.completionTime: completionTime cannot be set before startTime");
        if (failed && !Is(job, "FailureTarget")) errors.Add("status.conditions: cannot set Failed=True condition without the FailureTarget=true condition");
        if (complete && !Is(job, "SuccessCriteriaMet")) errors.Add("status.conditions: cannot set Complete=True condition without the SuccessCriteriaMet=true condition");
        if (finished && s.Active > 0) errors.Add("status.active: active>0 is invalid for finished job");
        if (finished && s.StartTime is null) errors.Add("status.startTime: startTime is required for finished job");
        if (finished && uncounted.Count > 0) errors.Add("status.uncountedTerminatedPods: uncountedTerminatedPods needs to be empty for finished job");
        if (finished && s.Terminating > 0) errors.Add("status.terminating: terminating>0 is invalid for finished job");
        if (s.Ready > (s.Active ?? 0)) errors.Add("status.ready: cannot set more ready pods than active");
        if (Is(job, "SuccessCriteriaMet") && failed) errors.Add("status.conditions: cannot set SuccessCriteriaMet=True and Failed=true conditions");
        if (Is(job, "SuccessCriteriaMet") && Is(job, "FailureTarget")) errors.Add("status.conditions: cannot set SuccessCriteriaMet=True and FailureTarget=true conditions");
        if (old is null) return errors;

        var o = old.Status ?? new V1JobStatus();
        foreach (var type in new[] { "Failed", "Complete", "FailureTarget" })
            if (Is(old, type) && !Is(job, type)) errors.Add($"status.conditions: cannot disable the terminal {type}=True condition");
        if ((s.Failed ?? 0) < (o.Failed ?? 0)) errors.Add("status.failed: cannot decrease the failed counter");
        if ((s.Succeeded ?? 0) < (o.Succeeded ?? 0)) errors.Add("status.succeeded: cannot decrease the succeeded counter");
        if (s.CompletionTime is not null && o.CompletionTime is not null && s.CompletionTime != o.CompletionTime) errors.Add("status.completionTime: completionTime cannot be mutated");
        if (o.StartTime is not null && o.StartTime != s.StartTime && job.Spec?.Suspend != true) errors.Add("status.startTime: startTime cannot be removed for unsuspended job");
        if (Is(old, "SuccessCriteriaMet") && !Is(job, "SuccessCriteriaMet")) errors.Add("status.conditions: cannot disable the SuccessCriteriaMet=True condition");
        if (Is(old, "Complete") && !Is(old, "SuccessCriteriaMet") && Is(job, "SuccessCriteriaMet"))
            errors.Add("status.conditions: cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions");
        return errors;
    }
}
