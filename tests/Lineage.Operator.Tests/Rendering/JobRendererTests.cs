using k8s.Models;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;

namespace Lineage.Operator.Tests.Rendering;

public sealed class JobRendererTests
{
    static readonly V1OwnerReference Owner = new() { ApiVersion = "lineage.dev/v1alpha1", Kind = "GrpoRun", Name = "gen-2", Uid = "uid-1", Controller = true, BlockOwnerDeletion = true };

    static V1Job Render(Resources? resources = null, StorageSpec? storage = null, bool suspend = false, long? deadline = null, int backoff = 3) =>
        JobRenderer.Render(new TrainerJob("gen-2-train", "ml", Owner, new Dictionary<string, string> { ["lineage.dev/lineage"] = "math" }, "grpo",
            "steps: 3\n", resources ?? new Resources(), storage ?? new StorageSpec { Uri = "s3://models/x", SecretName = "s3-creds", Endpoint = "http://minio:9000" },
            suspend, deadline, backoff));

    static V1Container Trainer(V1Job job) => Assert.Single(job.Spec.Template.Spec.Containers);

    [Fact]
    public void The_job_is_owned_named_and_runs_the_trainer_with_the_mounted_config()
    {
        var job = Render();
        Assert.Equal(("batch/v1", "Job", "gen-2-train", "ml"), (job.ApiVersion, job.Kind, job.Metadata.Name, job.Metadata.NamespaceProperty));
        Assert.Same(Owner, Assert.Single(job.Metadata.OwnerReferences));
        Assert.Equal(["grpo", "--config", "/etc/lineage/config.yaml"], Trainer(job).Args);
        Assert.Equal(Resources.DefaultImage, Trainer(job).Image);
        var config = Assert.Single(job.Spec.Template.Spec.Volumes, v => v.Name == "config");
        // The config travels in the Job: a pod annotation the downwardAPI volume writes to /etc/lineage/config.yaml.
        Assert.Null(config.ConfigMap);
        var item = Assert.Single(config.DownwardAPI.Items);
        Assert.Equal(("config.yaml", "metadata.annotations['lineage.dev/config']"), (item.Path, item.FieldRef.FieldPath));
        Assert.Equal("steps: 3\n", job.Spec.Template.Metadata.Annotations["lineage.dev/config"]);
        Assert.Equal(TrainerConfigFile.Hash("steps: 3\n"), job.Metadata.Annotations["lineage.dev/config-sha256"]);
        Assert.Contains(Trainer(job).VolumeMounts, m => m.Name == "config" && m.MountPath == "/etc/lineage" && m.ReadOnlyProperty == true);
        Assert.Equal("math", job.Spec.Template.Metadata.Labels["lineage.dev/lineage"]);
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
    }

    [Fact]
    public void S3_credentials_come_only_from_secret_key_refs()
    {
        var env = Trainer(Render()).Env;
        foreach (var key in new[] { "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY" })
        {
            var variable = Assert.Single(env, e => e.Name == key);
            Assert.Null(variable.Value);
            Assert.Equal(("s3-creds", key), (variable.ValueFrom.SecretKeyRef.Name, variable.ValueFrom.SecretKeyRef.Key));
        }
        Assert.Equal("http://minio:9000", Assert.Single(env, e => e.Name == "LINEAGE_S3_ENDPOINT").Value);
        Assert.DoesNotContain(env, e => e.Name.StartsWith("AWS_") && e.Value is not null && true);
    }

    [Fact]
    public void No_credentials_are_wired_for_a_local_store()
    {
        var env = Trainer(Render(storage: new StorageSpec { Uri = "file:///data" })).Env;
        Assert.DoesNotContain(env, e => e.ValueFrom is not null);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    public void Gpus_are_limited_as_nvidia_gpu_only_when_requested(int gpus, bool present)
    {
        var resources = Trainer(Render(new Resources { Gpus = gpus, Cpu = "8", Memory = "64Gi" })).Resources;
        Assert.Equal(present, resources.Limits.ContainsKey("nvidia.com/gpu"));
        if (present) Assert.Equal("1", resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("8", resources.Requests["cpu"].ToString());
        Assert.Equal("64Gi", resources.Limits["memory"].ToString());
    }

    [Theory]
    [InlineData(0, "cpu")]
    [InlineData(1, "cuda")]
    public void The_trainer_is_told_its_device_from_the_gpus_it_asked_for(int gpus, string device)
    {
        var env = Trainer(Render(new Resources { Gpus = gpus })).Env;
        Assert.Equal(device, Assert.Single(env, e => e.Name == "LINEAGE_DEVICE").Value);
    }

    [Fact]
    public void Placement_follows_the_resources()
    {
        var pod = Render(new Resources
        {
            Image = "registry.example/trainer:1.2",
            NodeSelector = new Dictionary<string, string> { ["pool"] = "a100" },
            Tolerations = [new Toleration { Key = "nvidia.com/gpu", Operator = "Exists", Effect = "NoSchedule" }],
            PriorityClassName = "training-low",
        }).Spec.Template.Spec;
        Assert.Equal("registry.example/trainer:1.2", pod.Containers[0].Image);
        Assert.Equal("a100", pod.NodeSelector["pool"]);
        var toleration = Assert.Single(pod.Tolerations);
        Assert.Equal(("nvidia.com/gpu", "Exists", "NoSchedule"), (toleration.Key, toleration.OperatorProperty, toleration.Effect));
        Assert.Equal("training-low", pod.PriorityClassName);
    }

    [Fact]
    public void The_model_cache_and_temporary_files_go_to_writable_mounted_volumes()
    {
        var job = Render();
        var container = Trainer(job);
        var writable = container.VolumeMounts.Where(m => m.ReadOnlyProperty != true).Select(m => m.MountPath).ToList();
        var cache = Assert.Single(container.Env, e => e.Name == Lineage.Store.Cache.ModelCache.DirectoryVariable);
        var tmp = Assert.Single(container.Env, e => e.Name == "TMPDIR");
        Assert.Contains(writable, path => cache.Value.StartsWith(path, StringComparison.Ordinal));
        Assert.Contains(writable, path => tmp.Value.StartsWith(path, StringComparison.Ordinal));
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
    }

    [Fact]
    public void The_trainer_image_names_the_cache_variable_the_store_reads()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepoRoot.Path, "trainer-image", "Dockerfile"));
        Assert.Contains($"{Lineage.Store.Cache.ModelCache.DirectoryVariable}={JobRenderer.CachePath}", dockerfile);
        Assert.DoesNotContain("LINEAGE_CACHE=", dockerfile);
    }

    [Fact]
    public void Pods_run_as_non_root_without_privileges()
    {
        var job = Render();
        var pod = job.Spec.Template.Spec.SecurityContext;
        Assert.True(pod.RunAsNonRoot);
        Assert.Equal(1654, pod.RunAsUser);
        var container = Trainer(job).SecurityContext;
        Assert.False(container.AllowPrivilegeEscalation);
        Assert.True(container.ReadOnlyRootFilesystem);
        Assert.Equal(["ALL"], container.Capabilities.Drop);
        Assert.False(job.Spec.Template.Spec.AutomountServiceAccountToken);
    }

    static V1Pod FailedPod(int exitCode, string? condition = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "gen-2-train-x", NamespaceProperty = "ml" },
        Status = new V1PodStatus
        {
            Phase = "Failed",
            Conditions = condition is null ? [] : [new V1PodCondition { Type = condition, Status = "True" }],
            ContainerStatuses = [new V1ContainerStatus { Name = JobRenderer.Container, State = new V1ContainerState { Terminated = new V1ContainerStateTerminated { ExitCode = exitCode } } }],
        },
    };

    [Fact]
    public void The_pod_failure_policy_fails_the_job_on_bad_input_ignores_disruptions_and_counts_every_other_failure()
    {
        // Read by the Job controller that runs these Jobs in local mode (kube-controller-manager's rules).
        var policy = Render().Spec.PodFailurePolicy;

        var rejected = Lineage.LocalNode.Jobs.PodFailurePolicies.Match(policy, FailedPod(Lineage.Contracts.TrainerExitCodes.InvalidInput));
        Assert.Equal("Container trainer for pod ml/gen-2-train-x failed with exit code 2 matching FailJob rule at index 0", rejected.FailJobMessage);
        foreach (var retried in new[] { Lineage.Contracts.TrainerExitCodes.StoreFailed, 1, 137 })
            Assert.Same(Lineage.LocalNode.Jobs.PodFailureVerdict.Count, Lineage.LocalNode.Jobs.PodFailurePolicies.Match(policy, FailedPod(retried)));
        Assert.Same(Lineage.LocalNode.Jobs.PodFailureVerdict.Ignore, Lineage.LocalNode.Jobs.PodFailurePolicies.Match(policy, FailedPod(137, "DisruptionTarget")));
    }

    [Fact]
    public void Run_control_reaches_the_job_spec()
    {
        var job = Render(suspend: true, deadline: 7200, backoff: 5);
        Assert.Equal((true, 7200L, 5), (job.Spec.Suspend ?? false, job.Spec.ActiveDeadlineSeconds ?? 0, job.Spec.BackoffLimit ?? 0));
        Assert.Equal("FallbackToLogsOnError", Trainer(job).TerminationMessagePolicy);
    }
}
