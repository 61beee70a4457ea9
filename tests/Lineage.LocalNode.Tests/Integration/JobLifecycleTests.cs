using k8s.Models;
using Lineage.LocalNode.Jobs;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>Jobs run to their end by the node's Job controller and kubelet, with real processes.</summary>
public sealed class JobLifecycleTests
{
    [Fact]
    public async Task A_job_whose_process_exits_0_completes_with_the_conditions_and_counters_of_a_real_cluster()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var created = await cluster.CreateAsync(ShellJob("hello", "echo hello from $HOSTNAME"));

        var job = await cluster.WaitForJobAsync("hello", j => HasCondition(j, JobConditions.Complete), "Complete");

        Assert.Equal(1, job.Status.Succeeded);
        Assert.Null(job.Status.Failed);
        Assert.Null(job.Status.Active);
        Assert.Equal(0, job.Status.Ready);
        Assert.Equal(0, job.Status.Terminating);
        Assert.NotNull(job.Status.StartTime);
        Assert.NotNull(job.Status.CompletionTime);
        Assert.True(job.Status.CompletionTime >= job.Status.StartTime);
        Assert.Equal([JobConditions.SuccessCriteriaMet, JobConditions.Complete], job.Status.Conditions.Select(c => c.Type));
        Assert.All(job.Status.Conditions, c => Assert.Equal(JobConditions.CompletionsReached, c.Reason));
        Assert.Empty(job.Status.UncountedTerminatedPods?.Succeeded ?? []);

        var pod = Assert.Single(await cluster.PodsOfAsync("hello"));
        Assert.StartsWith("hello-", pod.Metadata.Name);
        Assert.Equal("Succeeded", pod.Status.Phase);
        Assert.Equal("local", pod.Spec.NodeName);
        Assert.Equal(created.Metadata.Uid, pod.Metadata.Labels[JobPods.ControllerUidLabel]);
        Assert.Equal("hello", pod.Metadata.Labels["app"]);
        var owner = Assert.Single(pod.Metadata.OwnerReferences);
        Assert.True(owner.Controller);
        Assert.True(owner.BlockOwnerDeletion);
        Assert.Equal(created.Metadata.Uid, owner.Uid);
        Assert.DoesNotContain(JobConditions.TrackingFinalizer, pod.Metadata.Finalizers ?? []);
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(0, terminated.ExitCode);
        Assert.Equal("Completed", terminated.Reason);
        Assert.Equal($"hello from {pod.Metadata.Name}\n", cluster.LogOf(pod));
        // An ended pod's volumes are torn down; its log stays for kubectl logs while the pod exists.
        await WaitForAsync(() => Task.FromResult(Directory.Exists(Path.Combine(cluster.DataDirectory, "pods", pod.Metadata.Uid))), exists => !exists,
            "the ended pod's folder to be removed");
        Assert.Equal($"hello from {pod.Metadata.Name}\n", cluster.LogOf(pod));

        var events = await cluster.EventsOfAsync("hello");
        Assert.Contains(events, e => e.Reason == "SuccessfulCreate" && e.Message == $"Created pod: {pod.Metadata.Name}" && e.Source.Component == "job-controller");
        Assert.Contains(events, e => e.Reason == "Completed" && e.Message == "Job completed");
    }

    [Fact]
    public async Task A_failing_process_fails_the_job_with_its_exit_code_and_the_tail_of_its_log_as_message()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("broken", "echo starting; echo 'error: no such model' >&2; exit 3"));

        var job = await cluster.WaitForJobAsync("broken", j => HasCondition(j, JobConditions.Failed), "Failed");

        Assert.Equal(1, job.Status.Failed);
        Assert.Equal([JobConditions.FailureTarget, JobConditions.Failed], job.Status.Conditions.Select(c => c.Type));
        Assert.All(job.Status.Conditions, c => Assert.Equal(JobConditions.BackoffLimitExceeded, c.Reason));
        Assert.Equal(JobConditions.BackoffLimitExceededMessage, Condition(job, JobConditions.Failed)!.Message);
        Assert.Null(job.Status.CompletionTime);
        var pod = Assert.Single(await cluster.PodsOfAsync("broken"));
        Assert.Equal("Failed", pod.Status.Phase);
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        Assert.Equal(3, terminated.ExitCode);
        Assert.Equal("Error", terminated.Reason);
        Assert.Equal("starting\nerror: no such model\n", terminated.Message);
        var events = await cluster.EventsOfAsync("broken");
        Assert.Contains(events, e => e.Type == "Warning" && e.Reason == JobConditions.BackoffLimitExceeded);
    }

    [Fact]
    public async Task Each_failed_pod_counts_and_a_new_pod_is_made_until_failures_exceed_the_backoff_limit()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("flaky", $"echo x >> {cluster.Mark("attempts")}; exit 1", backoffLimit: 2));

        var job = await cluster.WaitForJobAsync("flaky", j => HasCondition(j, JobConditions.Failed), "Failed");

        Assert.Equal(3, job.Status.Failed);
        Assert.Equal(3, File.ReadAllLines(cluster.Mark("attempts")).Length);
        var pods = await cluster.PodsOfAsync("flaky");
        Assert.Equal(3, pods.Count);
        Assert.All(pods, p => Assert.Equal("Failed", p.Status.Phase));
        Assert.Equal(3, cluster.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "pods" && r.Subresource is null && r.Succeeded));
        // One attempt at a time: each pod started after the previous one ended.
        for (var i = 1; i < pods.Count; i++)
            Assert.True(pods[i].Status.ContainerStatuses[0].State.Terminated.StartedAt >= pods[i - 1].Status.ContainerStatuses[0].State.Terminated.FinishedAt);
    }

    [Fact]
    public async Task A_pod_that_fails_is_replaced_and_the_job_completes_when_the_replacement_succeeds()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var marker = cluster.Mark("second-time");
        await cluster.CreateAsync(ShellJob("retry", $"if [ -e {marker} ]; then echo resumed; else touch {marker}; exit 7; fi", backoffLimit: 3));

        var job = await cluster.WaitForJobAsync("retry", j => HasCondition(j, JobConditions.Complete), "Complete");

        Assert.Equal(1, job.Status.Failed);
        Assert.Equal(1, job.Status.Succeeded);
        var pods = await cluster.PodsOfAsync("retry");
        Assert.Equal(["Failed", "Succeeded"], pods.Select(p => p.Status.Phase));
    }
}
