using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

/// <summary>The Job status rules of kube-apiserver v1.36, as the Job controller (and the local node) must follow them.</summary>
public sealed class JobStatusRuleTests : ServerTest
{
    private static readonly DateTime Start = new(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc);

    private async Task CreateJobAsync() =>
        await Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "train" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "t", Image = "t" }] } } },
        }, "default");

    private Task<V1Job> PatchStatusAsync(object status) =>
        Client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(new { status }, V1Patch.PatchType.MergePatch), "train", "default");

    private async Task<string> RefusalAsync(object status)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(() => PatchStatusAsync(status));
        Assert.Equal(422, (int)error.Response.StatusCode);
        return KubernetesJson.Deserialize<V1Status>(error.Response.Content).Message;
    }

    private static object Condition(string type) => new { type, status = "True" };

    [Fact]
    public async Task A_job_runs_and_succeeds_the_way_the_job_controller_writes_it()
    {
        await CreateJobAsync();
        await PatchStatusAsync(new { active = 1, startTime = Start, ready = 0 });
        await PatchStatusAsync(new { active = 0, succeeded = 1, conditions = new[] { Condition("SuccessCriteriaMet") } });

        var done = await PatchStatusAsync(new { completionTime = Start.AddMinutes(5), conditions = new[] { Condition("SuccessCriteriaMet"), Condition("Complete") } });

        Assert.Equal(["SuccessCriteriaMet", "Complete"], done.Status.Conditions.Select(c => c.Type));
        Assert.Equal(Start, done.Status.StartTime);
    }

    [Fact]
    public async Task A_job_fails_with_failure_target_then_failed()
    {
        await CreateJobAsync();
        await PatchStatusAsync(new { active = 1, startTime = Start });

        var failed = await PatchStatusAsync(new { active = 0, failed = 1, conditions = new[] { Condition("FailureTarget"), Condition("Failed") } });

        Assert.Equal(["FailureTarget", "Failed"], failed.Status.Conditions.Select(c => c.Type));
    }

    [Fact]
    public async Task Complete_needs_success_criteria_met_a_completion_time_and_no_active_pods()
    {
        await CreateJobAsync();
        await PatchStatusAsync(new { active = 1, startTime = Start });

        Assert.Equal("Job.batch \"train\" is invalid: [status.completionTime: Required value: completionTime is required for Complete jobs, "
                     + "status.conditions: Invalid value: cannot set Complete=True condition without the SuccessCriteriaMet=true condition, "
                     + "status.active: Invalid value: 1: active>0 is invalid for finished job]",
            await RefusalAsync(new { succeeded = 1, conditions = new[] { Condition("Complete") } }));
    }

    [Fact]
    public async Task Failed_needs_failure_target_and_a_start_time()
    {
        await CreateJobAsync();

        Assert.Equal("Job.batch \"train\" is invalid: [status.conditions: Invalid value: cannot set Failed=True condition without the FailureTarget=true condition, "
                     + "status.startTime: Required value: startTime is required for finished job]",
            await RefusalAsync(new { failed = 1, conditions = new[] { Condition("Failed") } }));
    }

    [Fact]
    public async Task Counters_never_go_back_and_ready_pods_are_active_pods()
    {
        await CreateJobAsync();
        await PatchStatusAsync(new { active = 1, ready = 1, failed = 2, startTime = Start });

        Assert.Equal("Job.batch \"train\" is invalid: [status.ready: Invalid value: 1: cannot set more ready pods than active, "
                     + "status.failed: Invalid value: 1: cannot decrease the failed counter]",
            await RefusalAsync(new { active = 0, failed = 1 }));
    }

    [Fact]
    public async Task Start_time_is_fixed_once_set_and_completion_time_needs_complete()
    {
        await CreateJobAsync();
        await PatchStatusAsync(new { active = 1, startTime = Start });

        Assert.Equal("Job.batch \"train\" is invalid: status.startTime: Required value: startTime cannot be removed for unsuspended job",
            await RefusalAsync(new { startTime = Start.AddMinutes(1) }));
        Assert.Equal("Job.batch \"train\" is invalid: status.completionTime: Invalid value: 2026-12-01 08:05:00 +0000 UTC: cannot set completionTime when there is no Complete=True condition",
            await RefusalAsync(new { completionTime = Start.AddMinutes(5) }));
    }

    [Fact]
    public async Task Fractions_of_a_second_are_dropped_so_rewriting_the_same_start_time_is_no_change()
    {
        await CreateJobAsync();
        var start = Start.AddMilliseconds(345);
        var running = await PatchStatusAsync(new { active = 1, startTime = start });

        await PatchStatusAsync(new { active = 1, startTime = start, ready = 1 });

        Assert.Equal(Start, running.Status.StartTime);
    }

    [Fact]
    public async Task A_terminal_condition_cannot_be_withdrawn()
    {
        await CreateJobAsync();
        await PatchStatusAsync(new { startTime = Start, failed = 1, conditions = new[] { Condition("FailureTarget"), Condition("Failed") } });

        Assert.Equal("Job.batch \"train\" is invalid: [status.conditions: Invalid value: cannot disable the terminal Failed=True condition, "
                     + "status.conditions: Invalid value: cannot disable the terminal FailureTarget=True condition]",
            await RefusalAsync(new { conditions = Array.Empty<object>() }));
    }

    [Fact]
    public async Task Negative_counts_are_refused()
    {
        await CreateJobAsync();

        Assert.Equal("Job.batch \"train\" is invalid: [status.failed: Invalid value: -1: must be greater than or equal to 0, "
                     + "status.failed: Invalid value: -1: cannot decrease the failed counter]", await RefusalAsync(new { failed = -1 }));
    }
}
