using k8s;
using k8s.Models;

namespace Lineage.EmbeddedApiServer.Tests;

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
                completionTime = new DateTime(2026, 12, 1, 8, 5, 0, DateTimeKind.Utc),
                conditions = new[] { new { type = "SuccessCriteriaMet", status = "True" }, new { type = "Complete", status = "True" } },
            },
        }, V1Patch.PatchType.MergePatch), "train-1", "default");

        var read = await Client.BatchV1.ReadNamespacedJobAsync("train-1", "default");
        Assert.Equal(1, read.Status.Succeeded);
        Assert.Equal(["SuccessCriteriaMet", "Complete"], read.Status.Conditions.Select(c => c.Type));
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

    [Fact]
    public async Task A_new_Job_gets_the_selector_labels_and_defaults_kube_apiserver_gives_it()
    {
        var created = await Client.BatchV1.CreateNamespacedJobAsync(TrainerJob(), "default");

        var uid = created.Metadata.Uid;
        Assert.Equal(uid, created.Spec.Selector.MatchLabels["batch.kubernetes.io/controller-uid"]);
        Assert.Equal("train-1", created.Spec.Template.Metadata.Labels["job-name"]);
        Assert.Equal(uid, created.Spec.Template.Metadata.Labels["controller-uid"]);
        Assert.Equal("lineage-trainer", created.Metadata.Labels["app"]);
        Assert.Equal(2, created.Spec.BackoffLimit);
        Assert.Equal(1, created.Spec.Completions);
        Assert.False(created.Spec.Suspend);
    }

    [Fact]
    public async Task A_Jobs_pod_template_is_immutable_but_suspend_is_not()
    {
        var created = await Client.BatchV1.CreateNamespacedJobAsync(TrainerJob(), "default");

        created.Spec.Suspend = true;
        var suspended = await Client.BatchV1.ReplaceNamespacedJobAsync(created, "train-1", "default");
        Assert.True(suspended.Spec.Suspend);

        suspended.Spec.Template.Spec.Containers[0].Image = "lineage-trainer:other";
        Assert.Equal(422, await StatusCodeOf(() => Client.BatchV1.ReplaceNamespacedJobAsync(suspended, "train-1", "default")));
    }

    [Fact]
    public async Task Job_names_longer_than_63_characters_are_refused()
    {
        var job = TrainerJob();
        job.Metadata.Name = new string('j', 64);

        Assert.Equal(422, await StatusCodeOf(() => Client.BatchV1.CreateNamespacedJobAsync(job, "default")));
    }

    [Fact]
    public async Task Secret_stringData_is_stored_as_base64_data()
    {
        await Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s3" },
            StringData = new Dictionary<string, string> { ["accessKey"] = "S3RVER" },
        }, "default");

        var secret = await Client.CoreV1.ReadNamespacedSecretAsync("s3", "default");
        Assert.Equal("S3RVER", System.Text.Encoding.UTF8.GetString(secret.Data["accessKey"]));
        Assert.Null(secret.StringData);
    }

    [Fact]
    public async Task Service_names_must_be_DNS_labels()
    {
        var service = new V1Service { Metadata = new V1ObjectMeta { Name = "with.dot" } };

        Assert.Equal(422, await StatusCodeOf(() => Client.CoreV1.CreateNamespacedServiceAsync(service, "default")));
    }
}
