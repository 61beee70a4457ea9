using k8s;
using k8s.Models;
using Lineage.Contracts.Config;
using Lineage.LocalNode.Jobs;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>The real trainer, run by the node from a Job rendered exactly as the operator renders it.</summary>
public sealed class TrainerJobTests
{
    static readonly string Trainer = Path.Combine(RepoRoot(), "trainer-image", "Lineage.Trainer.Cli", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "lineage-trainer.dll");

    [Fact]
    public async Task An_operator_rendered_sft_job_runs_the_real_trainer_with_its_config_from_a_downward_api_volume_into_a_file_store()
    {
        Assert.True(File.Exists(Trainer), $"build the trainer first: {Trainer}");
        await using var cluster = await LocalCluster.StartAsync(o => o with
        {
            Images = new Dictionary<string, IReadOnlyList<string>> { ["*"] = ["dotnet", Trainer] },
        });
        var owner = await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "run-owner" } }, Ns);
        var ownerRef = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, Controller = true };
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "store" },
            StringData = new Dictionary<string, string> { [StorageSpec.AccessKeyIdKey] = "id", [StorageSpec.SecretAccessKeyKey] = "secret" },
        }, Ns);
        // Paths inside a mounted file are not rewritten (only command, args, env and workingDir are), so the config
        // names the store, as the operator's rendered configs do.
        var store = new Uri(Directory.CreateDirectory(cluster.Mark("store")).FullName + "/").AbsoluteUri;
        var config = new SftConfig
        {
            Output = store + "math/gen-0/model",
            Init = new ModelInit { HiddenSize = 32, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeads = 1, IntermediateSize = 64, MaxPositionEmbeddings = 128 },
            Train = new DataConfig { Task = "addition", Digits = 1, Count = 50 },
            Steps = 3,
            BatchSize = 4,
            MaxSeqLen = 64,
            LogEvery = 1,
        };
        var labels = new Dictionary<string, string> { ["app"] = "sft" };
        // The config travels in the Job (a pod annotation), written to /etc/lineage/config.yaml by the downwardAPI volume.
        var job = JobRenderer.Render(new TrainerJob("sft", Ns, ownerRef, labels, "sft", TrainerConfigFile.Yaml(config, "spec"),
            new Resources { Image = "ghcr.io/lineage-dev/lineage-trainer:test", Cpu = "1", Memory = "3Gi" },
            new StorageSpec { Uri = store.TrimEnd('/'), SecretName = "store" }));
        await cluster.CreateAsync(job);

        var done = await cluster.WaitForJobAsync("sft", j => HasCondition(j, JobConditions.Complete) || HasCondition(j, JobConditions.Failed),
            "the trainer to finish", seconds: 180);

        var pod = Assert.Single(await cluster.PodsOfAsync("sft"));
        var log = cluster.LogOf(pod, JobRenderer.Container);
        Assert.True(HasCondition(done, JobConditions.Complete), $"the trainer failed: {log}");
        Assert.Contains("\"steps\":3", log);
        var model = Path.Combine(cluster.Mark("store"), "math", "gen-0", "model");
        Assert.True(File.Exists(Path.Combine(model, "config.json")), log);
        Assert.True(File.Exists(Path.Combine(model, "model.safetensors")));
        Assert.Equal("Completed", pod.Status.ContainerStatuses.Single().State.Terminated.Reason);
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Operator.sln"))) return dir.FullName;
        throw new InvalidOperationException("Operator.sln not found");
    }
}
