using k8s.Models;

namespace Lineage.LocalNode.Tests.ApiRules;

/// <summary>The rules the audit holds the node to, checked against writes a real v1.36 server refused (issue 15).</summary>
public sealed class JobStatusRulesTests
{
    static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    static V1Job Job(V1JobStatus status, bool suspend = false) => new() { Spec = new V1JobSpec { Suspend = suspend }, Status = status };

    static V1JobCondition C(string type) => new() { Type = type, Status = "True" };

    [Fact]
    public void Complete_without_SuccessCriteriaMet_is_refused()
    {
        var errors = JobStatusRules.Violations(null, Job(new V1JobStatus { StartTime = T0, CompletionTime = T0, Conditions = [C("Complete")] }));

        Assert.Contains("status.conditions: cannot set Complete=True condition without the SuccessCriteriaMet=true condition", errors);
    }

    [Fact]
    public void Failed_without_FailureTarget_and_active_pods_on_a_finished_job_are_refused()
    {
        var errors = JobStatusRules.Violations(null, Job(new V1JobStatus { StartTime = T0, Active = 1, Conditions = [C("Failed")] }));

        Assert.Contains("status.conditions: cannot set Failed=True condition without the FailureTarget=true condition", errors);
        Assert.Contains("status.active: active>0 is invalid for finished job", errors);
    }

    [Fact]
    public void A_changed_start_time_is_refused_unless_the_job_is_suspended()
    {
        var old = Job(new V1JobStatus { StartTime = T0 });

        Assert.Contains("status.startTime: startTime cannot be removed for unsuspended job", JobStatusRules.Violations(old, Job(new V1JobStatus { StartTime = T0.AddSeconds(1) })));
        Assert.Empty(JobStatusRules.Violations(old, Job(new V1JobStatus(), suspend: true)));
    }

    [Fact]
    public void The_controllers_two_step_completion_is_accepted()
    {
        var running = Job(new V1JobStatus { StartTime = T0, Active = 1, Ready = 1 });
        var met = Job(new V1JobStatus { StartTime = T0, Ready = 0, UncountedTerminatedPods = new() { Succeeded = ["u"] }, Conditions = [C("SuccessCriteriaMet")] });
        var complete = Job(new V1JobStatus { StartTime = T0, Succeeded = 1, CompletionTime = T0, Conditions = [C("SuccessCriteriaMet"), C("Complete")] });

        Assert.Empty(JobStatusRules.Violations(running, met));
        Assert.Empty(JobStatusRules.Violations(met, complete));
    }
}
