using k8s;
using k8s.Models;

namespace Lineage.KubeApiServer.Tests;

public sealed class JobTests : ServerTest
{
    private static V1Job TrainerJob() => new()
    {
        Metadata = new V1ObjectMeta { Name = "train-1", Labels = new Dictionary<string, string> { ["app"] = "lineage-trainer" } },
        Spec = new V1JobSpec
        {
            BackoffLimit = 2,
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec
                {
                    RestartPolicy = "Never",
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "trainer",
                            Image = "lineage-trainer:dev",
                            Args = ["grpo", "--config", "/config/run.json"],
                            Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["nvidia.com/gpu"] = new("1") } },
                        },
                    ],
                },
            },
        },
        Status = new V1JobStatus { Succeeded = 99 },
    };

    [Fact]
    public async Task A_Job_round_trips_and_its_status_is_written_through_the_status_subresource()
    {
        var created = await Client.BatchV1.CreateNamespacedJobAsync(TrainerJob(), "default");
        Assert.Null(created.Status);
        Assert.Equal("1", created.Spec.Template.Spec.Containers[0].Resources.Limits["nvidia.com/gpu"].ToString());

        created.Status = new V1JobStatus { Active = 1, StartTime = new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc) };
        var running = await Client.BatchV1.ReplaceNamespacedJobStatusAsync(created, "train-1", "default");
        Assert.Equal(1, running.Status.Active);

        var done = await Client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(new
        {
            status = new
            {
                active = 0,
                succeeded = 1,
                conditions = new[] { new { type = "Complete", status = "True" } },
            },
        }, V1Patch.PatchType.MergePatch), "train-1", "default");

        var read = await Client.BatchV1.ReadNamespacedJobAsync("train-1", "default");
        Assert.Equal(1, read.Status.Succeeded);
        Assert.Equal("Complete", Assert.Single(read.Status.Conditions).Type);
        Assert.Equal(new DateTime(2026, 12, 1, 8, 0, 0, DateTimeKind.Utc), read.Status.StartTime);
        Assert.Equal(1, read.Metadata.Generation);
        Assert.Equal(done.Metadata.ResourceVersion, read.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task Jobs_are_found_by_label_and_watched_like_any_kind()
    {
        var created = await Client.BatchV1.CreateNamespacedJobAsync(TrainerJob(), "default");
        var events = new List<(WatchEventType, V1Job)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var watching = Task.Run(async () =>
        {
            await foreach (var e in Client.BatchV1.WatchListNamespacedJobAsync("default", labelSelector: "app=lineage-trainer",
                               resourceVersion: created.Metadata.ResourceVersion, cancellationToken: stop.Token))
            {
                events.Add(e);
                if (events.Count == 1) return;
            }
        });

        await Client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(new { status = new { failed = 1 } }, V1Patch.PatchType.MergePatch), "train-1", "default");
        await watching;

        var (type, job) = Assert.Single(events);
        Assert.Equal(WatchEventType.Modified, type);
        Assert.Equal(1, job.Status.Failed);
        Assert.Single((await Client.BatchV1.ListNamespacedJobAsync("default", labelSelector: "app=lineage-trainer")).Items);
    }
}
