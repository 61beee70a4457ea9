using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;
using Lineage.Store;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>The lifecycle survives what a real API server does: conflicts, expired watches, standalone runs edited by users.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Conflicts_on_status_writes_and_an_expired_watch_do_not_stop_a_lifecycle()
    {
        await using var cluster = await LineageCluster.StartAsync();
        cluster.Server.FailNext(2, 409, "/generations/gen-0/status", "PUT");
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.JobAsync("gen-0-eval");

        cluster.Server.CompactHistory();
        cluster.Server.DropWatches();
        var gen = await cluster.EvaluateAsync("gen-0", 0.6);

        Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
        Assert.True(cluster.Server.Requests.All.Count(r => r.Resource == "generations" && r.Subresource == "status" && r.StatusCode == 409) >= 2);
        Assert.DoesNotContain(await cluster.EventsOfAsync("gen-0"), e => e.Type == "Warning");
        Assert.Equal(1, cluster.Server.Requests.Count("create", "jobs"));
    }

    [Fact]
    public async Task A_standalone_run_waits_for_its_policy_generation_and_follows_suspend()
    {
        await using var cluster = await LineageCluster.StartAsync();
        var run = await cluster.GrpoRuns.CreateAsync(new GrpoRun
        {
            Metadata = new V1ObjectMeta { Name = "exp-1", NamespaceProperty = Ns },
            Spec = new GrpoRun.GrpoRunSpec(new GrpoTemplate { Steps = 10, CheckpointEvery = 5, Suspend = true })
            {
                Policy = new ModelRef { Generation = "gen-0" },
                Output = $"{cluster.StoreUri}/runs/exp-1",
                Storage = new StorageSpec { Uri = cluster.StoreUri },
            },
        }, default);
        var waiting = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "exp-1"), default),
            r => r.Status?.Conditions.Any(c => c.Reason == Reasons.ModelNotReady) == true, "exp-1 to wait for gen-0");
        Assert.Contains("Generation gen-0 not found", waiting.Status!.Conditions.Single(c => c.Type == ConditionTypes.Running).Message);

        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.EvaluateAsync("gen-0", 0.6);
        var job = await cluster.JobAsync("exp-1-train");
        Assert.True(job.Spec.Suspend);
        await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "exp-1"), default), r => r.Status?.Phase == RunPhases.Suspended, "exp-1 suspended");

        run = (await cluster.GrpoRuns.GetAsync(new(Ns, "exp-1"), default))!;
        run.Spec = run.Spec with { Suspend = false };
        await cluster.GrpoRuns.ReplaceAsync(run, default);
        await EventuallyAsync(() => cluster.Jobs.GetAsync(new(Ns, "exp-1-train"), default), j => j.Spec.Suspend == false, "the Job resumed");

        await cluster.Store.WriteJsonAsync("runs/exp-1.progress.json", new Contracts.Store.Progress { Kind = "grpo", Step = 3, TotalSteps = 10 }, default);
        await cluster.StartJobAsync("exp-1-train");
        var running = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "exp-1"), default), r => r.Status is { Step: 3, Phase: RunPhases.Running }, "progress beside a non-layout output");
        Assert.Equal(RunPhases.Running, running.Status!.Phase);
    }

    [Fact]
    public async Task An_edit_that_changes_a_suspended_runs_config_replaces_its_job_and_a_running_job_is_left_alone()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await CreateSuspendedRunAsync(cluster, "exp-2");
        var first = await cluster.JobAsync("exp-2-train");
        static int Steps(V1Job job) => ConfigLoader.Parse<GrpoConfig>(job.Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation], "grpo").Steps;
        Assert.Equal(10, Steps(first));

        await EditAsync(cluster, "exp-2", spec => spec with { Steps = 20 });
        var second = await EventuallyAsync(() => cluster.Jobs.GetAsync(new(Ns, "exp-2-train"), default), j => j.Metadata.Uid != first.Metadata.Uid, "the Job replaced");
        Assert.Equal((20, true), (Steps(second), second.Spec.Suspend));
        Assert.Equal(TrainerConfigFile.Hash(second.Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation]), second.Metadata.Annotations[TrainerConfigFile.HashAnnotation]);

        // Resumed and running: the Job is only unsuspended, and a later edit does not touch a Job with pods.
        await EditAsync(cluster, "exp-2", spec => spec with { Suspend = false });
        await EventuallyAsync(() => cluster.Jobs.GetAsync(new(Ns, "exp-2-train"), default), j => j.Spec.Suspend == false, "the Job resumed");
        await cluster.StartJobAsync("exp-2-train");
        await EditAsync(cluster, "exp-2", spec => spec with { Steps = 30 });
        await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "exp-2"), default), r => r.Status?.ObservedGeneration == r.Metadata.Generation, "the edit observed");
        var running = (await cluster.Jobs.GetAsync(new(Ns, "exp-2-train"), default))!;
        Assert.Equal((second.Metadata.Uid, 20), (running.Metadata.Uid, Steps(running)));
        Assert.Equal(1, cluster.Server.Requests.Count("delete", "jobs"));
        Assert.Equal(0, cluster.Server.Requests.Count("create", "configmaps"));
    }

    [Fact]
    public async Task The_Job_cache_keeps_only_what_the_controllers_read_and_a_suspended_runs_edit_still_replaces_its_job()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await CreateSuspendedRunAsync(cluster, "exp-4");
        var first = await cluster.JobAsync("exp-4-train");
        var cached = await EventuallyAsync(() => Task.FromResult(cluster.Host!.InformerFor<V1Job>().Get(new(Ns, "exp-4-train"))), _ => true, "the Job cached");

        // The server's Job has its pod template, labels and pod failure policy; the cache keeps none of them.
        Assert.NotNull(first.Spec.Template);
        Assert.NotEmpty(first.Metadata.Labels);
        Assert.NotNull(first.Spec.PodFailurePolicy);
        Assert.Null(cached.Spec.Template);
        Assert.Null(cached.Metadata.Labels);
        Assert.Null(cached.Spec.PodFailurePolicy);
        Assert.Null(cached.Spec.Selector);
        // What the controllers read stays: identity, owner, the config hash, suspend.
        Assert.Equal((first.Metadata.Uid, first.Metadata.ResourceVersion, true), (cached.Metadata.Uid, cached.Metadata.ResourceVersion, cached.Spec.Suspend));
        Assert.Equal(first.Metadata.OwnerReferences.Single().Uid, cached.Metadata.OwnerReferences.Single().Uid);
        Assert.Equal([TrainerConfigFile.HashAnnotation], cached.Metadata.Annotations!.Keys);
        Assert.Equal(first.Metadata.Annotations[TrainerConfigFile.HashAnnotation], cached.Metadata.Annotations[TrainerConfigFile.HashAnnotation]);

        // ...and is enough: an edit of the suspended run's config replaces the Job (the hash read from the cache differs).
        await EditAsync(cluster, "exp-4", spec => spec with { Steps = 20 });
        await EventuallyAsync(() => cluster.Jobs.GetAsync(new(Ns, "exp-4-train"), default), j => j.Metadata.Uid != first.Metadata.Uid, "the Job replaced");
    }

    [Fact]
    public async Task A_new_run_writes_its_status_once_when_its_job_is_created_and_once_when_it_succeeds()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.GrpoRuns.CreateAsync(new GrpoRun
        {
            Metadata = new V1ObjectMeta { Name = "exp-3", NamespaceProperty = Ns },
            Spec = new GrpoRun.GrpoRunSpec(new GrpoTemplate { Steps = 10, CheckpointEvery = 5 })
            {
                Policy = new ModelRef { Uri = "s3://models/base/tiny" }, Output = $"{cluster.StoreUri}/runs/exp-3", Storage = new StorageSpec { Uri = cluster.StoreUri },
            },
        }, default);
        await cluster.JobAsync("exp-3-train");
        // The first status already tells the Job as created; the Job's arrival in the cache writes nothing more.
        var pending = await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "exp-3"), default), r => r.Status?.Phase == RunPhases.Pending, "exp-3 pending");
        Assert.Equal(Reasons.JobPending, pending.Status!.Conditions.Single(c => c.Type == ConditionTypes.Running).Reason);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(1, cluster.Server.Requests.Count("update", "grporuns", "status"));

        await cluster.CompleteJobAsync("exp-3-train");
        await EventuallyAsync(() => cluster.GrpoRuns.GetAsync(new(Ns, "exp-3"), default), r => r.Status?.Phase == RunPhases.Succeeded, "exp-3 succeeded");
        Assert.Equal(2, cluster.Server.Requests.Count("update", "grporuns", "status"));
        // A standalone run keeps its phase Events (recorded after the status write they tell of).
        await cluster.EventuallyEventAsync("exp-3", e => e.Reason == RunPhases.Pending, "the Pending Event of exp-3");
        await cluster.EventuallyEventAsync("exp-3", e => e.Reason == RunPhases.Succeeded, "the Succeeded Event of exp-3");
    }

    /// <summary>A standalone GrpoRun of 10 steps, created suspended, writing under runs/<paramref name="name"/>.</summary>
    static Task<GrpoRun> CreateSuspendedRunAsync(LineageCluster cluster, string name) => cluster.GrpoRuns.CreateAsync(new GrpoRun
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns },
        Spec = new GrpoRun.GrpoRunSpec(new GrpoTemplate { Steps = 10, CheckpointEvery = 5, Suspend = true })
        {
            Policy = new ModelRef { Uri = "s3://models/base/tiny" }, Output = $"{cluster.StoreUri}/runs/{name}", Storage = new StorageSpec { Uri = cluster.StoreUri },
        },
    }, default);

    static Task<GrpoRun> EditAsync(LineageCluster cluster, string name, Func<GrpoRun.GrpoRunSpec, GrpoRun.GrpoRunSpec> edit) =>
        EventuallyAsync(async () =>
        {
            var run = (await cluster.GrpoRuns.GetAsync(new(Ns, name), default))!;
            run.Spec = edit(run.Spec);
            try { return await cluster.GrpoRuns.ReplaceAsync(run, default); }
            catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict) { return null; }
        }, _ => true, $"{name} edited");
}
