using System.Diagnostics;
using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests.Kubectl;

/// <summary>What a user does to follow a lineage with kubectl: get -w, describe, logs.</summary>
public sealed class KubectlObserveTests : KubectlTest
{
    private async Task CreateGenerationAsync(string name)
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        (await Kubectl.RunAsync("apply", "-f", Manifest($"{name}.yaml", KubectlApplyTests.Generation(name)))).Succeeded();
    }

    private Task SetPhaseAsync(string name, string phase, double? score = null) =>
        Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(new { status = new { phase, score } }, V1Patch.PatchType.MergePatch),
            "lineage.dev", "v1alpha1", "ml", "generations", name);

    [KubectlFact]
    public async Task Get_watch_prints_a_row_with_the_printer_columns_for_every_change()
    {
        await CreateGenerationAsync("g1");
        await SetPhaseAsync("g1", "Evaluating");
        using var watch = Kubectl.Start("get", "gen", "-n", "ml", "-w");
        try
        {
            var header = await ReadLineAsync(watch);
            Assert.Matches(@"^NAME\s+LINEAGE\s+PARENT\s+PHASE\s+SCORE\s+AGE", header);
            Assert.Matches(@"^g1\s+math\s+Evaluating\s+", await ReadLineAsync(watch));

            await SetPhaseAsync("g1", "Promoted", 0.75);

            Assert.Matches(@"^g1\s+math\s+Promoted\s+0\.75\s+", await ReadLineAsync(watch));
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    [KubectlFact]
    public async Task The_documented_champion_query_selects_promoted_generations_of_the_lineage_by_field()
    {
        foreach (var (name, lineage, phase) in new[] { ("g1", "math", "Promoted"), ("g2", "math", "Rejected"), ("g3", "other", "Promoted"), ("g4", "math", "Evaluating") })
        {
            await CreateGenerationAsync(name);
            await Client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(new { metadata = new { labels = new Dictionary<string, string> { ["lineage.dev/lineage"] = lineage } } },
                V1Patch.PatchType.MergePatch), "lineage.dev", "v1alpha1", "ml", "generations", name);
            await SetPhaseAsync(name, phase);
        }

        var champions = (await Kubectl.RunAsync("get", "gen", "-n", "ml", "-l", "lineage.dev/lineage=math", "--field-selector", "status.phase=Promoted", "-o", "name")).Succeeded();
        var unsupported = (await Kubectl.RunAsync("get", "gen", "-n", "ml", "--field-selector", "status.score=1")).Failed();

        Assert.Equal("generation.lineage.dev/g1", champions.Stdout.Trim());
        Assert.Contains("field label not supported: status.score", unsupported.Stderr);
    }

    [KubectlFact]
    public async Task Describe_shows_the_object_and_the_events_about_it()
    {
        await CreateGenerationAsync("g1");
        var uid = ((System.Text.Json.JsonElement)await Client.CustomObjects.GetNamespacedCustomObjectAsync("lineage.dev", "v1alpha1", "ml", "generations", "g1"))
            .GetProperty("metadata").GetProperty("uid").GetString();
        foreach (var (name, about, message) in new[] { ("e1", "g1", "Created GrpoRun g1"), ("e2", "other", "about another object") })
            await Client.CoreV1.CreateNamespacedEventAsync(new Corev1Event
            {
                Metadata = new V1ObjectMeta { Name = name },
                InvolvedObject = new V1ObjectReference { ApiVersion = "lineage.dev/v1alpha1", Kind = "Generation", Name = about, NamespaceProperty = "ml", Uid = about == "g1" ? uid : "0" },
                Reason = "Started", Message = message, Type = "Normal", Count = 1,
                FirstTimestamp = DateTime.UtcNow, LastTimestamp = DateTime.UtcNow, Source = new V1EventSource { Component = "lineage-operator" },
            }, "ml");

        var described = (await Kubectl.RunAsync("describe", "gen", "g1", "-n", "ml")).Succeeded().Stdout;

        Assert.Contains("Name:", described);
        Assert.Contains("Lineage:", described);
        Assert.Matches(@"Normal\s+Started\s+.*lineage-operator\s+Created GrpoRun g1", described);
        Assert.DoesNotContain("about another object", described);
    }

    private async Task<V1Pod> CreateJobWithPodAsync(string job, params string[] containers)
    {
        await Kubectl.RunAsync("apply", "-f", Example("00-namespace.yaml"));
        var created = await Client.BatchV1.CreateNamespacedJobAsync(new V1Job
        {
            Metadata = new V1ObjectMeta { Name = job },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { RestartPolicy = "Never", Containers = containers.Select(c => new V1Container { Name = c, Image = "trainer" }).ToList() } } },
        }, "ml");
        // What the node does: a pod from the template, with the template's labels (the Job's selector matches them).
        return await Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"{job}-abcde", Labels = created.Spec.Template.Metadata.Labels },
            Spec = created.Spec.Template.Spec,
        }, "ml");
    }

    private void WriteLog(string pod, string container, string text)
    {
        var path = Path.Combine(LogDirectory, "ml", pod, container + ".log");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.AppendAllText(path, text);
    }

    [KubectlFact]
    public async Task Logs_of_a_job_are_read_from_its_pods_log_file_with_tail_and_container()
    {
        var pod = await CreateJobWithPodAsync("train", "trainer", "sidecar");
        WriteLog(pod.Metadata.Name, "trainer", "step 1 loss 2.0\nstep 2 loss 1.5\nstep 3 loss 1.2\n");
        WriteLog(pod.Metadata.Name, "sidecar", "sidecar line\n");

        Assert.Equal("step 1 loss 2.0\nstep 2 loss 1.5\nstep 3 loss 1.2\n", (await Kubectl.RunAsync("logs", "job/train", "-n", "ml", "-c", "trainer")).Succeeded().Stdout);
        Assert.Equal("step 3 loss 1.2\n", (await Kubectl.RunAsync("logs", pod.Metadata.Name, "-n", "ml", "-c", "trainer", "--tail=1")).Succeeded().Stdout);
        Assert.Equal("sidecar line\n", (await Kubectl.RunAsync("logs", pod.Metadata.Name, "-n", "ml", "-c", "sidecar")).Succeeded().Stdout);
    }

    [KubectlFact]
    public async Task Get_shows_pods_and_jobs_with_the_columns_of_a_real_server()
    {
        var pod = await CreateJobWithPodAsync("train", "trainer");
        pod.Status = new V1PodStatus
        {
            Phase = "Running",
            ContainerStatuses = [new V1ContainerStatus { Name = "trainer", Image = "trainer", ImageID = "", Ready = true, RestartCount = 1, State = new V1ContainerState { Running = new V1ContainerStateRunning() } }],
        };
        await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, "ml");

        var pods = (await Kubectl.RunAsync("get", "pods", "-n", "ml")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var jobs = (await Kubectl.RunAsync("get", "jobs", "-n", "ml")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var namespaces = (await Kubectl.RunAsync("get", "ns", "ml")).Succeeded().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$", pods[0]);
        Assert.Matches(@"^train-abcde\s+1/1\s+Running\s+1\s+\d+s$", pods[1]);
        Assert.Matches(@"^NAME\s+STATUS\s+COMPLETIONS\s+DURATION\s+AGE$", jobs[0]);
        Assert.Matches(@"^train\s+Running\s+0/1\s+", jobs[1]);
        Assert.Matches(@"^ml\s+Active\s+", namespaces[1]);
    }

    [KubectlFact]
    public async Task Logs_of_a_pod_that_has_not_started_say_so()
    {
        var pod = await CreateJobWithPodAsync("train", "trainer");

        var result = (await Kubectl.RunAsync("logs", pod.Metadata.Name, "-n", "ml")).Failed();

        Assert.Contains("container \"trainer\" in pod \"train-abcde\" is waiting to start: ContainerCreating", result.Stderr);
    }

    [KubectlFact]
    public async Task Follow_streams_new_lines_until_the_pod_finishes()
    {
        var pod = await CreateJobWithPodAsync("train", "trainer");
        WriteLog(pod.Metadata.Name, "trainer", "first\n");
        using var follow = Kubectl.Start("logs", "-f", "job/train", "-n", "ml");
        try
        {
            Assert.Equal("first", await ReadLineAsync(follow));
            WriteLog(pod.Metadata.Name, "trainer", "second\n");
            Assert.Equal("second", await ReadLineAsync(follow));

            WriteLog(pod.Metadata.Name, "trainer", "last\n");
            pod.Status = new V1PodStatus { Phase = "Succeeded" };
            await Client.CoreV1.ReplaceNamespacedPodStatusAsync(pod, pod.Metadata.Name, "ml");

            Assert.Equal("last", await ReadLineAsync(follow));
            Assert.True(follow.WaitForExit(10_000), "kubectl logs -f did not end when the pod finished");
            Assert.Equal(0, follow.ExitCode);
        }
        finally
        {
            if (!follow.HasExited) follow.Kill(entireProcessTree: true);
        }
    }

    private static async Task<string> ReadLineAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await process.StandardOutput.ReadLineAsync(timeout.Token);
        return line ?? throw new InvalidOperationException($"kubectl ended: {await process.StandardError.ReadToEndAsync()}");
    }
}
