using k8s;
using k8s.Models;
using Lineage.LocalNode.Jobs;
using Lineage.Operator.Runtime;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>
/// Deadlines, suspension and deletion stop the processes, and the Job reports it as a real cluster does.
/// (Scripts write <c>$$$$</c> for the shell's <c>$$</c>: the kubelet reads <c>$$</c> in args as an escaped <c>$</c>.)
/// </summary>
public sealed class TerminationTests
{
    [Fact]
    public async Task A_job_past_its_active_deadline_has_its_process_killed_and_fails_with_DeadlineExceeded()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("slow", $"echo $$$$ > {cluster.Mark("pid")}; exec sleep 60", backoffLimit: 5,
            job: j => j.Spec.ActiveDeadlineSeconds = 2));

        var job = await cluster.WaitForJobAsync("slow", j => HasCondition(j, JobConditions.Failed), "Failed");

        Assert.Equal([JobConditions.FailureTarget, JobConditions.Failed], job.Status.Conditions.Select(c => c.Type));
        Assert.All(job.Status.Conditions, c => Assert.Equal(JobConditions.DeadlineExceeded, c.Reason));
        Assert.Equal(JobConditions.DeadlineExceededMessage, Condition(job, JobConditions.Failed)!.Message);
        Assert.Equal(1, job.Status.Failed);
        Assert.Null(job.Status.Active);
        var pid = (await cluster.PidsAsync("pid"))[0];
        await WaitForAsync(() => Task.FromResult(IsRunning(pid)), running => !running, $"pid {pid} to be killed", seconds: 10);
        Assert.Single(await cluster.EventsOfAsync("slow"), e => e.Reason == "SuccessfulCreate");
    }

    [Fact]
    public async Task Suspending_a_job_deletes_its_pod_and_process_without_counting_a_failure_and_resuming_runs_it_again()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var resumed = cluster.Mark("resumed");
        await cluster.CreateAsync(ShellJob("pausable", $"if [ -e {resumed} ]; then echo second run; exit 0; fi; echo $$$$ > {cluster.Mark("pid")}; exec sleep 60"));
        var pid = (await cluster.PidsAsync("pid"))[0];
        var running = await cluster.WaitForJobAsync("pausable", j => j.Status?.Active == 1 && j.Status.Ready == 1, "one ready pod");
        var firstStart = running.Status.StartTime;

        await SetSuspendAsync(cluster, true);
        var suspended = await cluster.WaitForJobAsync("pausable", j => HasCondition(j, JobConditions.Suspended) && j.Status.Active is null or 0, "Suspended");

        Assert.Equal(JobConditions.JobSuspended, Condition(suspended, JobConditions.Suspended)!.Reason);
        Assert.Null(suspended.Status.StartTime);
        Assert.Null(suspended.Status.Failed);
        await WaitForAsync(() => Task.FromResult(IsRunning(pid)), alive => !alive, $"pid {pid} to be killed", seconds: 10);
        await WaitForAsync(() => cluster.PodsOfAsync("pausable"), pods => pods.Count == 0, "the suspended job's pod to be gone");

        File.WriteAllText(resumed, "");
        await SetSuspendAsync(cluster, false);
        var done = await cluster.WaitForJobAsync("pausable", j => HasCondition(j, JobConditions.Complete), "Complete");

        var condition = Condition(done, JobConditions.Suspended)!;
        Assert.Equal(("False", JobConditions.JobResumed), (condition.Status, condition.Reason));
        Assert.Equal(1, done.Status.Succeeded);
        Assert.Null(done.Status.Failed);
        Assert.NotNull(done.Status.StartTime);
        Assert.True(done.Status.StartTime >= firstStart);
        Assert.Equal("second run\n", cluster.LogOf(Assert.Single(await cluster.PodsOfAsync("pausable"))));
        var events = await cluster.EventsOfAsync("pausable");
        Assert.Contains(events, e => e.Reason == "Suspended");
        Assert.Contains(events, e => e.Reason == "Resumed");
    }

    [Fact]
    public async Task Deleting_a_job_kills_its_process_group_with_SIGKILL_after_the_grace_period_when_SIGTERM_is_ignored()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("stubborn", $"trap '' TERM; sleep 60 & echo \"$$$$ $!\" > {cluster.Mark("pids")}; wait"));
        var pids = await cluster.PidsAsync("pids", 2);
        var pod = Assert.Single(await cluster.PodsOfAsync("stubborn"));
        Assert.All(pids, pid => Assert.True(IsRunning(pid)));

        await cluster.Jobs.DeleteAsync(new ObjectKey(Ns, "stubborn"), CancellationToken.None);

        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.All(pids, pid => Assert.True(IsRunning(pid), "SIGTERM is ignored: the processes live until the grace period ends"));
        await WaitForAsync(() => Task.FromResult(pids.Any(IsRunning)), any => !any, "the processes to be killed", seconds: 10);
        await WaitForAsync(() => cluster.Pods.ListAsync(Ns, null, CancellationToken.None), pods => pods.Count == 0, "the pod to be gone");
        await WaitForAsync(() => Task.FromResult(Directory.Exists(Path.Combine(cluster.DataDirectory, "pods", pod.Metadata.Uid))), exists => !exists,
            "the pod's folder to be removed");
        Assert.False(Directory.Exists(Path.Combine(cluster.LogDirectory, Ns, pod.Metadata.Name)));
    }

    [Fact]
    public async Task Deleting_a_running_pod_stops_its_process_and_its_job_counts_a_failure_and_replaces_it()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var again = cluster.Mark("again");
        await cluster.CreateAsync(ShellJob("victim", $"if [ -e {again} ]; then exit 0; fi; touch {again}; echo $$$$ > {cluster.Mark("pid")}; exec sleep 60", backoffLimit: 1));
        var pid = (await cluster.PidsAsync("pid"))[0];
        var first = Assert.Single(await cluster.PodsOfAsync("victim"));

        await cluster.Client.CoreV1.DeleteNamespacedPodAsync(first.Metadata.Name, Ns);

        var job = await cluster.WaitForJobAsync("victim", j => HasCondition(j, JobConditions.Complete), "Complete");
        Assert.Equal(1, job.Status.Failed);
        Assert.Equal(1, job.Status.Succeeded);
        Assert.False(IsRunning(pid));
        var pods = await cluster.PodsOfAsync("victim");
        Assert.DoesNotContain(pods, p => p.Metadata.Uid == first.Metadata.Uid);
    }

    static Task SetSuspendAsync(LocalCluster cluster, bool suspend) =>
        cluster.Client.BatchV1.PatchNamespacedJobAsync(new V1Patch(new { spec = new { suspend } }, V1Patch.PatchType.MergePatch), "pausable", Ns);
}
