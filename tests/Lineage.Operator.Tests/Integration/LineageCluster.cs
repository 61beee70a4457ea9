using k8s;
using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.EmbeddedApiServer;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Controllers;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;
using Lineage.Store;
using Prometheus;

namespace Lineage.Operator.Tests.Integration;

/// <summary>
/// The test API server with the generated CRDs installed, a filesystem store, and the operator's controllers
/// running in-process over real HTTP. The test plays the Job controller and the trainer: it sets Job status
/// and writes progress.json, manifests and eval/result.json into the store.
/// </summary>
public sealed class LineageCluster : IAsyncDisposable
{
    public const string Ns = "ml";
    readonly DirectoryInfo _storeDir = Directory.CreateTempSubdirectory("lineage-store");
    CancellationTokenSource? _stop;
    Task<HostExit>? _run;

    LineageCluster(EmbeddedApiServer.EmbeddedApiServer server)
    {
        Server = server;
        Client = new Kubernetes(server.ClientConfiguration());
        Store = new FileSystemStore(_storeDir.FullName);
        StoreUri = new Uri(_storeDir.FullName + "/").AbsoluteUri.TrimEnd('/');
        Generations = new ResourceClient<Generation>(Client);
        GrpoRuns = new ResourceClient<GrpoRun>(Client);
        Distillations = new ResourceClient<Distillation>(Client);
        Jobs = new ResourceClient<V1Job>(Client);
        ConfigMaps = new ResourceClient<V1ConfigMap>(Client);
        Pods = new ResourceClient<V1Pod>(Client);
        Events = new ResourceClient<Corev1Event>(Client);
    }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; private set; }

    /// <summary>
    /// Stops the API server (its listener closes, every watch ends) and starts it again on the same data file and port,
    /// as a kube-apiserver restart looks to clients; needs options with a <c>DataFile</c> and a fixed <c>Port</c>.
    /// Returns the requests the stopped server answered (the new one starts a fresh log).
    /// </summary>
    public async Task<IReadOnlyList<RequestRecord>> RestartServerAsync(TimeSpan down)
    {
        var options = Server.Options;
        if (options.DataFile is null || options.Port == 0) throw new InvalidOperationException("a restart needs a DataFile and a fixed Port");
        await Server.DisposeAsync();
        var answered = Server.Requests.All;
        await Task.Delay(down);
        Server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(options);
        return answered;
    }
    public Kubernetes Client { get; }
    public IArtifactStore Store { get; }
    public string StoreUri { get; }
    public ResourceClient<Generation> Generations { get; }
    public ResourceClient<GrpoRun> GrpoRuns { get; }
    public ResourceClient<Distillation> Distillations { get; }
    public ResourceClient<V1Job> Jobs { get; }
    public ResourceClient<V1ConfigMap> ConfigMaps { get; }
    public ResourceClient<V1Pod> Pods { get; }
    public ResourceClient<Corev1Event> Events { get; }

    /// <summary>The server with the CRDs, and (unless <paramref name="withOperator"/> is false: the test runs its own) the controllers.</summary>
    public static async Task<LineageCluster> StartAsync(bool withOperator = true, EmbeddedApiServerOptions? options = null, Lineage.Operator.Decisions.TenantPolicy? policy = null)
    {
        var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(options);
        server.InstallCrdsFromDirectory(RepoRoot.File("crds"));
        var cluster = new LineageCluster(server);
        if (withOperator) cluster.StartOperator(policy);
        return cluster;
    }

    /// <summary>The running operator's host (its informer caches), once <see cref="StartOperator"/> ran.</summary>
    public ControllerHost? Host { get; private set; }

    /// <summary>The running operator's run controllers, once <see cref="StartOperator"/> ran.</summary>
    public RegisteredControllers? Controllers { get; private set; }

    /// <summary>Starts a fresh operator process (new host, informers, queues and metrics), as after a pod restart.</summary>
    public void StartOperator(Lineage.Operator.Decisions.TenantPolicy? policy = null)
    {
        // The operator's own client (its User-Agent, Retry-After honoured), as the lineage-operator process uses.
        var host = new ControllerHost(Lineage.Operator.Hosting.OperatorClient.Create(Server.ClientConfiguration(), "test-operator"), new ControllerHostOptions
        {
            Workers = 2,
            ResyncPeriod = TimeSpan.Zero,
            LeaderElection = new LeaderElectionOptions { Enabled = false },
        });
        Controllers = LineageControllers.Register(host, Metrics.NewCustomRegistry(), policy: policy);
        Host = host;
        _stop = new CancellationTokenSource();
        _run = host.RunAsync(_stop.Token);
    }

    public async Task StopOperatorAsync()
    {
        _stop!.Cancel();
        Assert.Equal(HostExit.Stopped, await _run!.WaitAsync(TimeSpan.FromSeconds(20)));
        _stop.Dispose();
    }

    public Generation.GenerationSpec Spec(string? parent = null, string? baseUri = null, TrainingSpec? training = null, PromotionSpec? promotion = null,
        string retention = Retention.Retain) => new()
    {
        Lineage = "math",
        Parent = parent,
        Base = parent is null ? baseUri ?? "s3://models/base/tiny" : null,
        Training = training,
        Evaluation = new EvaluationSpec { Dataset = new Contracts.Config.DataConfig { Task = "addition" }, Problems = 50 },
        Promotion = promotion ?? new PromotionSpec { MinScore = 0.2, MinImprovementOverParent = 0.05 },
        Storage = new StorageSpec { Uri = StoreUri, Retention = retention },
    };

    public Task<Generation> CreateAsync(string name, Generation.GenerationSpec spec) =>
        Generations.CreateAsync(new Generation { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Ns }, Spec = spec }, default);

    public async Task<Generation> GenerationAsync(string name) => (await Generations.GetAsync(new ObjectKey(Ns, name), default))!;

    /// <summary>Polls until <paramref name="condition"/> holds (the operator works asynchronously).</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> read, Func<T, bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        T? last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await read();
            if (last is not null && condition(last)) return last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"timed out waiting for {what}; last: {(last is null ? "null" : KubernetesJson.Serialize(last))}");
    }

    public Task<Generation> PhaseAsync(string name, string phase) =>
        EventuallyAsync(() => Generations.GetAsync(new ObjectKey(Ns, name), default), g => g.Status?.Phase == phase, $"{name} to be {phase}");

    public Task<V1Job> JobAsync(string name) => EventuallyAsync(() => Jobs.GetAsync(new ObjectKey(Ns, name), default), _ => true, $"Job {name}");

    /// <summary>The Job controller's part: the pod runs (startTime is set once and kept, as a real server requires).</summary>
    public Task<V1Job> StartJobAsync(string name) => SetJobStatusAsync(name, (job, now) => new V1JobStatus { Active = 1, StartTime = job.Status?.StartTime ?? now });

    /// <summary>The pod succeeded: SuccessCriteriaMet with Complete, a completionTime, no active pod (what kube-apiserver v1.36 accepts).</summary>
    public Task<V1Job> CompleteJobAsync(string name) => SetJobStatusAsync(name, (job, now) => new V1JobStatus
    {
        Succeeded = 1, StartTime = job.Status?.StartTime ?? now.AddMinutes(-1), CompletionTime = now,
        Conditions =
        [
            new V1JobCondition { Type = "SuccessCriteriaMet", Status = "True", Reason = "CompletionsReached", Message = "Reached expected number of succeeded pods" },
            new V1JobCondition { Type = "Complete", Status = "True", Reason = "CompletionsReached", Message = "Reached expected number of succeeded pods" },
        ],
    });

    /// <summary>The pod failed for good: a pod carrying the trainer's termination message, then the Job's FailureTarget and Failed conditions.</summary>
    public async Task<V1Job> FailJobAsync(string name, string terminationMessage)
    {
        var pod = await Pods.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = $"{name}-x7k2p", NamespaceProperty = Ns, Labels = new Dictionary<string, string> { ["job-name"] = name } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "trainer", Image = "trainer" }] },
        }, default);
        pod.Status = new V1PodStatus
        {
            Phase = "Failed",
            ContainerStatuses = [new V1ContainerStatus { Name = "trainer", Image = "trainer", ImageID = "", Ready = false, RestartCount = 0,
                State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = 1, Message = terminationMessage, FinishedAt = DateTime.UtcNow } } }],
        };
        await Pods.ReplaceStatusAsync(pod, default);
        const string reason = "BackoffLimitExceeded", message = "Job has reached the specified backoff limit";
        return await SetJobStatusAsync(name, (job, now) => new V1JobStatus
        {
            Failed = 3, StartTime = job.Status?.StartTime ?? now.AddMinutes(-1),
            Conditions =
            [
                new V1JobCondition { Type = "FailureTarget", Status = "True", Reason = reason, Message = message },
                new V1JobCondition { Type = "Failed", Status = "True", Reason = reason, Message = message },
            ],
        });
    }

    async Task<V1Job> SetJobStatusAsync(string name, Func<V1Job, DateTime, V1JobStatus> status)
    {
        var job = await JobAsync(name);
        job.Status = status(job, DateTime.UtcNow);
        return await Jobs.ReplaceStatusAsync(job, default);
    }

    /// <summary>
    /// The trainer's part: files in the store, as the trainer writes them; <paramref name="trend"/> is the mean reward of
    /// the run's first and latest 10 steps (a trainer before rewardFirst/rewardLast leaves it out).
    /// </summary>
    public Task WriteProgressAsync(string generation, long step, long total, double reward, (double First, double Last)? trend = null)
    {
        var metrics = new Dictionary<string, double> { ["rewardMean"] = reward, ["kl"] = 0.01 };
        if (trend is { } t) (metrics[Progress.RewardFirst], metrics[Progress.RewardLast]) = (t.First, t.Last);
        return Store.WriteJsonAsync(new StoreLayout("math", generation).Progress, new Progress
        {
            Kind = "grpo", Step = step, TotalSteps = total, UpdatedAt = DateTimeOffset.UtcNow,
            LastCheckpoint = $"{StoreUri}/math/{generation}/checkpoints/step-{step}", Metrics = metrics,
        }, default);
    }

    public async Task<string> WriteModelAsync(string generation)
    {
        var layout = new StoreLayout("math", generation);
        await Store.WriteAsync($"{layout.Model}/model.safetensors", new MemoryStream([1, 2, 3, 4]), default);
        var manifest = ContractJson.Serialize(new CheckpointManifest { Files = [new ManifestFile("model.safetensors", 4, "9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a")], Step = 10 });
        var bytes = System.Text.Encoding.UTF8.GetBytes(manifest);
        await Store.WriteAsync($"{layout.Model}/{StoreLayout.ManifestFile}", new MemoryStream(bytes), default);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    /// <summary>eval/result.json as the evaluation trainer writes it: for the model its Job's config names.</summary>
    public async Task WriteEvalResultAsync(string generation, double score)
    {
        var job = await JobAsync($"{generation}-eval");
        var config = ConfigLoader.Parse<EvalConfig>(job.Spec.Template.Metadata.Annotations[TrainerConfigFile.Annotation], $"Job {generation}-eval");
        await Store.WriteJsonAsync(new StoreLayout("math", generation).EvalResult, new EvalResult
        {
            Model = config.Model, Task = "addition", Metric = "greedy", Problems = 50, Score = score, Accuracy = score,
            FormatRate = 1, FinishedAt = DateTimeOffset.UtcNow,
        }, default);
    }

    /// <summary>Walks a generation with no training through evaluation to the given score.</summary>
    public async Task<Generation> EvaluateAsync(string name, double score)
    {
        await JobAsync($"{name}-eval");
        await WriteEvalResultAsync(name, score);
        await CompleteJobAsync($"{name}-eval");
        return await EventuallyAsync(() => Generations.GetAsync(new ObjectKey(Ns, name), default),
            g => g.Status?.Phase is GenerationPhases.Promoted or GenerationPhases.Rejected || g.Status?.Conditions.Any(c => c.Reason == Reasons.AwaitingApproval) == true,
            $"{name} to pass the gate");
    }

    /// <summary>The documented champion query: <c>kubectl get gen -l lineage.dev/lineage=… --field-selector status.phase=Promoted</c>.</summary>
    public async Task<IReadOnlyList<string>> ChampionsAsync(string lineage)
    {
        var list = (System.Text.Json.JsonElement)await Client.CustomObjects.ListNamespacedCustomObjectAsync(Group.Name, Group.Version, Ns, Generation.Plural,
            labelSelector: $"{WellKnown.LineageLabel}={lineage}", fieldSelector: "status.phase=Promoted");
        return list.GetProperty("items").EnumerateArray().Select(g => g.GetProperty("metadata").GetProperty("name").GetString()!).Order().ToList();
    }

    public async Task<IReadOnlyList<Corev1Event>> EventsOfAsync(string name) =>
        (await Events.ListAsync(Ns, null, default)).Where(e => e.InvolvedObject.Name == name).ToList();

    /// <summary>Events are recorded after the status write they describe, so a test waits for one instead of reading once.</summary>
    public Task<IReadOnlyList<Corev1Event>> EventuallyEventAsync(string name, Func<Corev1Event, bool> match, string what) =>
        EventuallyAsync<IReadOnlyList<Corev1Event>>(async () => await EventsOfAsync(name), events => events.Any(match), what);

    public async ValueTask DisposeAsync()
    {
        if (_stop is { IsCancellationRequested: false }) await StopOperatorAsync();
        Client.Dispose();
        await Server.DisposeAsync();
        _storeDir.Delete(recursive: true);
    }
}
