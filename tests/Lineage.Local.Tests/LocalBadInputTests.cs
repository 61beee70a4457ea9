using k8s;
using Lineage.Local.Tests.Support;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;

namespace Lineage.Local.Tests;

/// <summary>
/// Input that only the trainer can judge (a dataset's lines), refused by the real trainer behind the operator's Job: the
/// Job's pod failure policy fails it at once instead of retrying the same input, and the statuses carry the trainer's words.
/// </summary>
public sealed class LocalBadInputTests : IDisposable
{
    readonly string data = Directory.CreateTempSubdirectory("lineage-badinput").FullName;
    string Cluster => Path.Combine(data, "cluster");

    [Fact]
    public async Task A_malformed_demonstrations_line_fails_the_run_once_naming_file_and_line_and_the_lineage_stops()
    {
        var demos = Path.Combine(data, "demos.jsonl");
        File.WriteAllText(demos, "{\"prompt\": \"1+2=\", \"answer\": \"3\"}\n{\"prompt\": \"2+2=\", \"answer\": \n");
        var manifest = Path.Combine(data, "bad-demos.yaml");
        File.WriteAllText(manifest, TinyLineage.Manifest().Replace("demonstrations: {task: addition, digits: 1}", $"demonstrations: {{path: \"file://{demos}\"}}"));

        await using var run = LocalRun.Start(Cluster, "--apply", manifest);
        using var client = await LocalRun.ClientAsync(Cluster, TimeSpan.FromMinutes(2));
        var lineages = new ResourceClient<LineageResource>(client);
        var key = new ObjectKey(TinyLineage.Namespace, TinyLineage.Name);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        LineageResource? lineage;
        while ((lineage = await lineages.GetAsync(key, default))?.Status?.History is not [{ Result: GenerationPhases.Failed }])
        {
            Assert.True(DateTime.UtcNow < deadline, $"generation 0 did not fail; history: {string.Join(", ", lineage?.Status?.History.Select(h => h.Result) ?? [])}\n{run.Output}");
            await Task.Delay(500);
        }

        var distillation = Assert.Single(await new ResourceClient<Distillation>(client).ListAsync(TinyLineage.Namespace, null, default));
        var failed = Assert.Single(distillation.Status!.Conditions, c => c.Type == ConditionTypes.Failed);
        Assert.Equal(Reasons.TrainerInputRejected, failed.Reason);
        Assert.True(failed.Message?.Contains("demos.jsonl:2: not valid JSON") == true, failed.Message);

        var jobName = distillation.Status.JobName ?? throw new InvalidOperationException("no job name in the run's status");
        var job = await client.BatchV1.ReadNamespacedJobAsync(jobName, TinyLineage.Namespace);
        Assert.Equal("PodFailurePolicy", Assert.Single(job.Status.Conditions, c => c.Type == "Failed").Reason);
        Assert.Equal(1, job.Status.Failed);
        var pods = (await client.CoreV1.ListNamespacedPodAsync(TinyLineage.Namespace, labelSelector: $"job-name={jobName}")).Items;
        Assert.Single(pods);

        // The lineage does not breed from a generation that never trained, and says why.
        Assert.Single(await new ResourceClient<Generation>(client).ListAsync(TinyLineage.Namespace, null, default));
        Assert.Contains("demos.jsonl:2", lineage!.Status!.History[0].Message);
        Assert.Equal(LineagePhases.Failed, lineage.Status.Phase);
    }

    public void Dispose()
    {
        try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    }
}
