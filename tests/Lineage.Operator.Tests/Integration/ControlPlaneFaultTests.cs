using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using k8s;
using Lineage.EmbeddedApiServer;
using Lineage.Operator.Api.V1Alpha1;
using static Lineage.Operator.Tests.Integration.LineageCluster;

namespace Lineage.Operator.Tests.Integration;

/// <summary>
/// One focused test per control-plane fault of the chaos benchmark (docs/reliability.md, the fault matrix): the
/// operator's controllers over real HTTP against the embedded API server, the server misbehaving as a real one does.
/// Each test checks that the lifecycle goes on and that nothing is created twice.
/// </summary>
public sealed class ControlPlaneFaultTests
{
    static readonly TrainingSpec Grpo = new() { Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } };

    static List<RequestRecord> JobCreates(IEnumerable<RequestRecord> requests) =>
        requests.Where(r => r.Verb == "create" && r.Resource == "jobs").ToList();

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_before_the_retry()
    {
        await using var cluster = await LineageCluster.StartAsync();
        cluster.Server.FailNext(1, 429, "/jobs", "POST", retryAfterSeconds: 2);
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.JobAsync("gen-0-eval");

        var creates = JobCreates(cluster.Server.Requests.All);
        Assert.Equal([429, 201], creates.Select(r => r.StatusCode));
        // Without Retry-After the retry comes after the first backoff step (50 ms).
        var waited = creates[1].Started - creates[0].Finished;
        Assert.True(waited >= TimeSpan.FromSeconds(1.9), $"retried after {waited.TotalMilliseconds:F0} ms");
        Assert.Equal(GenerationPhases.Promoted, (await cluster.EvaluateAsync("gen-0", 0.6)).Status!.Phase);
    }

    [Fact]
    public async Task A_409_Conflict_on_a_create_is_retried_not_taken_for_AlreadyExists()
    {
        await using var cluster = await LineageCluster.StartAsync();
        cluster.Server.FailNext(1, 409, "/generations", "POST");
        await new Lineage.Operator.Runtime.ResourceClient<LineageResource>(cluster.Client).CreateAsync(new LineageResource
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "math", NamespaceProperty = Ns },
            Spec = new LineageResource.LineageSpec
            {
                Base = new LineageBase { Uri = "s3://models/base/tiny" },
                Template = new GenerationTemplate
                {
                    Evaluation = new EvaluationSpec { Dataset = new Contracts.Config.DataConfig { Task = "addition" }, Problems = 50 },
                    Storage = new StorageSpec { Uri = cluster.StoreUri },
                },
                Plan = [new PlanStep { Name = "grpo", Grpo = new GrpoTemplate { Steps = 10, CheckpointEvery = 5 } }],
                MaxGenerations = 1,
            },
        }, default);

        // Before the fix the 409 counted as "it exists already" and the Lineage waited for a Generation nobody made.
        await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "math-0"), default), _ => true, "math-0 bred after the 409", seconds: 20);
        Assert.Equal([409, 201], cluster.Server.Requests.All.Where(r => r.Verb == "create" && r.Resource == "generations").Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Internal_errors_are_retried_and_one_job_is_created()
    {
        await using var cluster = await LineageCluster.StartAsync();
        cluster.Server.FailNext(3, 500, "/jobs", "POST");
        await cluster.CreateAsync("gen-0", cluster.Spec());

        var gen = await cluster.EvaluateAsync("gen-0", 0.6);

        Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
        Assert.Equal([500, 500, 500, 201], JobCreates(cluster.Server.Requests.All).Select(r => r.StatusCode));
    }

    [Fact]
    public async Task Slow_answers_delay_the_lifecycle_but_create_nothing_twice()
    {
        await using var cluster = await LineageCluster.StartAsync();
        // Every write of the lifecycle's first steps answered 1 s late: the run, the config, the Job, the status.
        cluster.Server.DelayNext(6, TimeSpan.FromSeconds(1), "/namespaces/ml/");
        await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo));
        await cluster.JobAsync("gen-0-train");
        await cluster.WriteModelAsync("gen-0");
        await cluster.CompleteJobAsync("gen-0-train");

        var gen = await cluster.EvaluateAsync("gen-0", 0.6);

        Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
        Assert.Equal(6, cluster.Server.InjectedFaults["delay"]);
        Assert.Equal(2, JobCreates(cluster.Server.Requests.All).Count(r => r.Succeeded));
        Assert.Equal(1, cluster.Server.Requests.Count(r => r.Verb == "create" && r.Resource == "grporuns" && r.Succeeded));
    }

    [Fact]
    public async Task A_dropped_watch_resumes_from_its_resourceVersion_without_a_relist()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.JobAsync("gen-0-eval");
        var lists = cluster.Server.Requests.Count("list");
        var watches = cluster.Server.Requests.Count("watch");

        Assert.True(cluster.Server.DropWatches() > 0);
        // Seen only through the resumed watches: the Job's completion and the eval result.
        var gen = await cluster.EvaluateAsync("gen-0", 0.6);

        Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
        Assert.True(cluster.Server.Requests.Count("watch") > watches);
        Assert.Equal(lists, cluster.Server.Requests.Count("list"));
    }

    [Fact]
    public async Task A_410_Gone_on_resume_makes_the_informers_list_again_and_the_lifecycle_goes_on()
    {
        await using var cluster = await LineageCluster.StartAsync();
        await cluster.CreateAsync("gen-0", cluster.Spec());
        await cluster.JobAsync("gen-0-eval");
        var lists = cluster.Server.Requests.Count("list");
        // A write the operator's informers do not watch moves the newest resourceVersion past theirs; the compaction
        // then forgets the history they would resume from.
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new() { Name = "elsewhere" } }, "default");
        cluster.Server.CompactHistory();
        cluster.Server.DropWatches();

        var gen = await cluster.EvaluateAsync("gen-0", 0.6);

        Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
        Assert.True(cluster.Server.Requests.Count("list") > lists, "no informer listed again after 410 Gone");
        Assert.Equal(1, JobCreates(cluster.Server.Requests.All).Count(r => r.Succeeded));
    }

    [Fact]
    public async Task An_api_server_restart_on_the_same_data_is_survived_without_a_second_job()
    {
        var data = Path.Combine(Path.GetTempPath(), $"lineage-restart-{Guid.NewGuid():n}.db");
        try
        {
            await using var cluster = await LineageCluster.StartAsync(options: new EmbeddedApiServerOptions { DataFile = data, Port = FreePort() });
            await cluster.CreateAsync("gen-0", cluster.Spec(training: Grpo));
            await cluster.StartJobAsync("gen-0-train");
            await cluster.PhaseAsync("gen-0", GenerationPhases.Training);

            var before = await cluster.RestartServerAsync(TimeSpan.FromSeconds(1));
            await cluster.WriteModelAsync("gen-0");
            await cluster.CompleteJobAsync("gen-0-train");
            var gen = await cluster.EvaluateAsync("gen-0", 0.6);

            Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
            var all = before.Concat(cluster.Server.Requests.All).ToList();
            Assert.Equal(2, JobCreates(all).Count(r => r.Succeeded)); // one training Job, one evaluation Job
            Assert.Equal(1, all.Count(r => r.Verb == "create" && r.Resource == "grporuns" && r.Succeeded));
            Assert.Contains(cluster.Server.Requests.All, r => r.Verb == "watch"); // the operator came back to the new server
        }
        finally
        {
            foreach (var f in new[] { data, data + "-wal", data + "-shm" }) File.Delete(f);
        }
    }

    [Fact]
    public async Task An_operator_SIGKILLed_while_its_job_create_is_in_flight_creates_no_second_job_after_restart()
    {
        await using var cluster = await LineageCluster.StartAsync(withOperator: false);
        var kubeconfig = Path.Combine(Path.GetTempPath(), $"lineage-kill-{Guid.NewGuid():n}.kubeconfig");
        cluster.Server.WriteKubeconfig(kubeconfig);
        // The create of the evaluation Job reaches the server, which stores it 3 s later: the reconcile is mid-write when killed.
        cluster.Server.DelayNext(1, TimeSpan.FromSeconds(3), "/jobs", "POST");
        var first = StartOperator(kubeconfig, "first");
        Process? second = null;
        try
        {
            await cluster.CreateAsync("gen-0", cluster.Spec());
            await EventuallyAsync(() => Task.FromResult<int?>(cluster.Server.InjectedFaults.GetValueOrDefault("delay")), n => n == 1, "the Job create to arrive", 90);
            await Task.Delay(300); // its body too
            first.Kill();
            await first.WaitForExitAsync();
            Assert.NotEqual(0, first.ExitCode);
            await cluster.JobAsync("gen-0-eval"); // stored after the delay; the killed process never saw the answer

            second = StartOperator(kubeconfig, "second");
            await cluster.WriteEvalResultAsync("gen-0", 0.6);
            await cluster.CompleteJobAsync("gen-0-eval");
            var gen = await EventuallyAsync(() => cluster.Generations.GetAsync(new(Ns, "gen-0"), default),
                g => g.Status?.Phase == GenerationPhases.Promoted, "the restarted operator to promote gen-0", 90);

            var creates = JobCreates(cluster.Server.Requests.All);
            var created = Assert.Single(creates, r => r.Succeeded);
            Assert.Contains("(first)", created.UserAgent);
            Assert.All(creates.Where(r => r.UserAgent.Contains("(second)")), r => Assert.Equal(409, r.StatusCode));
            Assert.Equal(GenerationPhases.Promoted, gen.Status!.Phase);
        }
        finally
        {
            foreach (var p in new[] { first, second })
                if (p is { HasExited: false }) p.Kill();
            File.Delete(kubeconfig);
        }
    }

    /// <summary>The real lineage-operator process (no leader election) named <paramref name="identity"/> in its User-Agent.</summary>
    static Process StartOperator(string kubeconfig, string identity)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "lineage-operator.dll"), "--kubeconfig", kubeconfig,
            "--namespace", Ns, "--leader-elect", "false", "--identity", identity, "--metrics-address", $"http://127.0.0.1:{FreePort()}", "--allow-file-storage", "true"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        return process;
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
