using System.Collections.Concurrent;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.Contracts.Store;
using Lineage.Operator.Decisions;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;
using Lineage.Store;

namespace Lineage.Operator.Bench;

/// <summary>
/// Plays the Job controller and the trainer, as the integration tests do: a new training Job gets a model,
/// a manifest and progress.json (of its trainer's kind) in the store and then the Job's Complete status; a new
/// evaluation Job gets eval/result.json with the planned score, naming the model its config (the pod template's annotation) says to evaluate (as
/// the trainer's eval does), and then Complete. Each Job is played once, retried until the API server takes it (it
/// may be failing or restarting in the chaos benchmark); a Job the plan does not expect (e.g. a training Job for an
/// import) stops the player's worker.
/// </summary>
public sealed class JobPlayer
{
    readonly IKubernetes client;
    readonly IArtifactStore store;
    readonly string storeUri;
    readonly Dictionary<string, (PlannedGeneration Generation, bool Training)> byJobName = [];
    readonly ConcurrentDictionary<string, bool> played = new();
    /// <summary>Each Job's trainer config (its pod template's annotation), as the informer delivered it.</summary>
    readonly ConcurrentDictionary<string, string> configs = new();
    readonly Channel<string> pending = Channel.CreateUnbounded<string>();
    int completed;
    int retries;

    static readonly KindInfo JobKind = KindInfo.Of<JobView>();

    public JobPlayer(IKubernetes client, IArtifactStore store, string storeUri, IEnumerable<PlannedGeneration> planned)
    {
        this.client = client;
        this.store = store;
        this.storeUri = storeUri;
        foreach (var p in planned)
        {
            if (p.Trainer is not null) byJobName[ChildNames.TrainingJob(p.Name)] = (p, true);
            byJobName[ChildNames.EvaluationJob(p.Name)] = (p, false);
        }
    }

    public int Completed => Volatile.Read(ref completed);

    /// <summary>Plays retried because the API server failed a request or was away.</summary>
    public int Retries => Volatile.Read(ref retries);

    /// <summary>Hooks the player on a Job informer: every Job without a final condition is queued once.</summary>
    public void Attach(Informer<JobView> jobs) => jobs.AddHandler(job =>
    {
        if (job.Status?.Conditions?.Any(c => c.Type is "Complete" or "Failed") == true) return;
        if (job.Spec?.Template?.Metadata?.Annotations?.TryGetValue(TrainerConfigFile.Annotation, out var config) == true)
            configs[job.Metadata.Name] = config;
        if (played.TryAdd(job.Metadata.Name, true)) pending.Writer.TryWrite(job.Metadata.Name);
    });

    public Task RunAsync(int workers, CancellationToken ct) =>
        Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            try
            {
                await foreach (var name in pending.Reader.ReadAllAsync(ct))
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            await PlayAsync(name, ct);
                            break;
                        }
                        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException && !ct.IsCancellationRequested)
                        {
                            Interlocked.Increment(ref retries);
                            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 * attempt)), ct);
                            // The status patch may have been stored with its answer lost: played already, then.
                            if (await FinishedAsync(name, ct)) { Interlocked.Increment(ref completed); break; }
                        }
                    }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        }, ct)));

    async Task PlayAsync(string jobName, CancellationToken ct)
    {
        if (!byJobName.TryGetValue(jobName, out var entry)) throw new InvalidOperationException($"the operator created an unexpected Job {jobName}");
        var layout = new StoreLayout(entry.Generation.Lineage, entry.Generation.Name);
        if (entry.Training) await WriteTrainingOutputsAsync(layout, entry.Generation.Trainer!, ct);
        else await store.WriteJsonAsync(layout.EvalResult, new EvalResult
        {
            Model = EvaluatedModel(jobName), Task = "addition", Metric = "greedy", Problems = 50,
            Score = entry.Generation.Score, Accuracy = entry.Generation.Score, FormatRate = 1, FinishedAt = DateTimeOffset.UtcNow,
        }, ct);
        // What kube-apiserver v1.36 accepts for a finished Job: SuccessCriteriaMet with Complete, a completionTime
        // not before the startTime (set here once, as the Job controller does when the pod starts), no active pod.
        var now = DateTime.UtcNow;
        var status = new
        {
            status = new
            {
                active = 0, succeeded = 1, startTime = now.AddMinutes(-1), completionTime = now,
                conditions = new[]
                {
                    new { type = "SuccessCriteriaMet", status = "True", reason = "CompletionsReached" },
                    new { type = "Complete", status = "True", reason = "CompletionsReached" },
                },
            },
        };
        // The answer is read as the player's view of a Job, not a whole V1Job with its managedFields: 5,000 of them a run.
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JobView>(new V1Patch(status, V1Patch.PatchType.MergePatch),
            JobKind.Group, JobKind.Version, BenchScenario.Namespace, JobKind.Plural, jobName, cancellationToken: ct);
        Interlocked.Increment(ref completed);
    }

    async Task<bool> FinishedAsync(string jobName, CancellationToken ct)
    {
        try
        {
            var job = await client.BatchV1.ReadNamespacedJobAsync(jobName, BenchScenario.Namespace, cancellationToken: ct);
            return job.Status?.Conditions?.Any(c => c.Type == "Complete" && c.Status == "True") == true;
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or IOException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>The model the evaluation Job's config names (what the trainer's eval reads and writes into its result), from
    /// the pod template's annotation the informer delivered. Read as YAML for that one field: the trainer's whole parse
    /// (two passes, defaults merged, validated) cost the bench 5 % of its CPU, and the local-mode tests run the trainer itself on the same annotation.</summary>
    string EvaluatedModel(string jobName) =>
        configs.TryGetValue(jobName, out var yaml)
            ? ModelReader.Deserialize<ModelOnly>(yaml)?.Model is { Length: > 0 } model ? model
                : throw new InvalidOperationException($"Job {jobName} annotation {TrainerConfigFile.Annotation}: no model")
            : throw new InvalidOperationException($"Job {jobName} carries no {TrainerConfigFile.Annotation} annotation on its pod template");

    static readonly YamlDotNet.Serialization.IDeserializer ModelReader = new YamlDotNet.Serialization.DeserializerBuilder()
        .WithNamingConvention(YamlDotNet.Serialization.NamingConventions.CamelCaseNamingConvention.Instance)
        .IgnoreUnmatchedProperties()
        .Build();

    sealed class ModelOnly
    {
        public string? Model { get; set; }
    }

    async Task WriteTrainingOutputsAsync(StoreLayout layout, string trainer, CancellationToken ct)
    {
        byte[] weights = [1, 2, 3, 4];
        await store.WriteAsync($"{layout.Model}/model.safetensors", new MemoryStream(weights), ct);
        var manifest = ContractJson.Serialize(new CheckpointManifest
        {
            Files = [new ManifestFile("model.safetensors", weights.Length, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(weights)))],
            Step = 10,
        });
        await store.WriteAsync($"{layout.Model}/{StoreLayout.ManifestFile}", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(manifest)), ct);
        await store.WriteJsonAsync(layout.Progress, new Progress
        {
            Kind = trainer, Step = 10, TotalSteps = 10, Done = true, UpdatedAt = DateTimeOffset.UtcNow,
            LastCheckpoint = $"{storeUri}/{layout.Checkpoint(10)}",
            Metrics = trainer == "distill" ? DistillMetrics : GrpoMetrics,
        }, ct);
    }

    static readonly Dictionary<string, double> GrpoMetrics = new() { [ProgressMetrics.RewardMean] = 0.5, [ProgressMetrics.Kl] = 0.01 };

    static readonly Dictionary<string, double> DistillMetrics = new()
    {
        [ProgressMetrics.Loss] = 0.4, [ProgressMetrics.TracesGenerated] = 400, [ProgressMetrics.TracesKept] = 300,
        [ProgressMetrics.TeacherAccuracy] = 0.5, [ProgressMetrics.TeacherAccuracyWithStrategy] = 0.6,
        [ProgressMetrics.StudentAccuracy] = 0.55, [ProgressMetrics.Internalisation] = 0.5,
    };
}
