using k8s;
using k8s.Models;
using Lineage.LocalNode.Jobs;
using static Lineage.LocalNode.Tests.Integration.LocalCluster;

namespace Lineage.LocalNode.Tests.Integration;

/// <summary>What a container's process gets: environment, Secrets and ConfigMaps, volumes (at rewritten paths), logs.</summary>
public sealed class ContainerEnvironmentTests
{
    [Fact]
    public async Task Env_values_secret_and_configmap_keys_field_refs_and_envFrom_reach_the_process_and_mount_paths_are_rewritten()
    {
        Environment.SetEnvironmentVariable("LOCALNODE_TEST_LEAK", "from the node's own environment");
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "creds" },
            StringData = new Dictionary<string, string> { ["AWS_ACCESS_KEY_ID"] = "AKIA-TEST", ["token"] = "s3cret" },
        }, Ns);
        await cluster.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
        {
            Metadata = new V1ObjectMeta { Name = "settings" },
            Data = new Dictionary<string, string> { ["mode"] = "fast", ["config.yaml"] = "steps: 3\n" },
        }, Ns);
        var envFile = cluster.Mark("env.txt");
        var job = ShellJob("env", $"env > {envFile}; cat /etc/cfg/conf/config.yaml; cat /etc/creds/token; echo; echo out=$OUT; echo in=/scratch/in; pwd", container: c =>
        {
            c.Env =
            [
                new V1EnvVar { Name = "PLAIN", Value = "value" },
                new V1EnvVar { Name = "REF", Value = "$(PLAIN)-ref" },
                new V1EnvVar { Name = "KEY", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "creds", Key = "AWS_ACCESS_KEY_ID" } } },
                new V1EnvVar { Name = "MODE", ValueFrom = new V1EnvVarSource { ConfigMapKeyRef = new V1ConfigMapKeySelector { Name = "settings", Key = "mode" } } },
                new V1EnvVar { Name = "POD", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
                new V1EnvVar { Name = "POD_NS", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
                new V1EnvVar { Name = "POD_UID", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.uid" } } },
                new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } },
                new V1EnvVar { Name = "OUT", Value = "/scratch/out" },
            ];
            c.EnvFrom = [new V1EnvFromSource { Prefix = "CM_", ConfigMapRef = new V1ConfigMapEnvSource { Name = "settings" } }];
            c.VolumeMounts =
            [
                new V1VolumeMount { Name = "cfg", MountPath = "/etc/cfg", ReadOnlyProperty = true },
                new V1VolumeMount { Name = "creds", MountPath = "/etc/creds", ReadOnlyProperty = true },
                new V1VolumeMount { Name = "scratch", MountPath = "/scratch" },
            ];
            c.WorkingDir = "/scratch";
            c.Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("500m"), ["memory"] = new("64Mi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m"), ["memory"] = new("256Mi") },
            };
        }, job: j => j.Spec.Template.Spec.Volumes =
        [
            new V1Volume { Name = "cfg", ConfigMap = new V1ConfigMapVolumeSource { Name = "settings", Items = [new V1KeyToPath { Key = "config.yaml", Path = "conf/config.yaml" }] } },
            new V1Volume { Name = "creds", Secret = new V1SecretVolumeSource { SecretName = "creds" } },
            new V1Volume { Name = "scratch", EmptyDir = new V1EmptyDirVolumeSource() },
        ]);
        await cluster.CreateAsync(job);

        await cluster.WaitForJobAsync("env", j => HasCondition(j, JobConditions.Complete), "Complete");

        var pod = Assert.Single(await cluster.PodsOfAsync("env"));
        var podDir = Path.Combine(cluster.DataDirectory, "pods", pod.Metadata.Uid);
        var scratch = Path.Combine(podDir, "volumes", "scratch");
        Assert.Equal($"steps: 3\ns3cret\nout={scratch}/out\nin={scratch}/in\n{scratch}\n", cluster.LogOf(pod));
        var env = File.ReadAllLines(envFile).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("value", env["PLAIN"]);
        Assert.Equal("value-ref", env["REF"]);
        Assert.Equal("AKIA-TEST", env["KEY"]);
        Assert.Equal("fast", env["MODE"]);
        Assert.Equal("fast", env["CM_mode"]);
        Assert.Equal(pod.Metadata.Name, env["POD"]);
        Assert.Equal(pod.Metadata.Name, env["HOSTNAME"]);
        Assert.Equal(Ns, env["POD_NS"]);
        Assert.Equal(pod.Metadata.Uid, env["POD_UID"]);
        Assert.Equal("127.0.0.1", env["POD_IP"]);
        Assert.Equal(Path.Combine(podDir, "containers", "main", "home"), env["HOME"]);
        Assert.Equal(Path.Combine(podDir, "containers", "main", "tmp"), env["TMPDIR"]);
        Assert.Equal("2", env["OMP_NUM_THREADS"]);
        Assert.Equal("2", env["MKL_NUM_THREADS"]);
        Assert.Equal("2", env["DOTNET_PROCESSOR_COUNT"]);
        Assert.False(env.ContainsKey("LOCALNODE_TEST_LEAK"));
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), env["PATH"]);
    }

    [Fact]
    public async Task A_downward_api_volume_writes_the_pods_annotations_labels_and_resources_as_the_kubelet_does()
    {
        await using var cluster = await LocalCluster.StartAsync();
        var config = "steps: 3\nname: \"a b\"\n";
        var job = ShellJob("downward", "cat /etc/pod/config.yaml; echo ---; cat /etc/pod/name; echo; cat /etc/pod/labels; echo; cat /etc/pod/annotations; echo; cat /etc/pod/cpu; echo; stat -c %a /etc/pod/config.yaml",
            container: c =>
            {
                c.VolumeMounts = [new V1VolumeMount { Name = "pod", MountPath = "/etc/pod", ReadOnlyProperty = true }];
                c.Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m"), ["memory"] = new("64Mi") } };
            },
            job: j =>
            {
                j.Spec.Template.Metadata.Annotations = new Dictionary<string, string> { ["lineage.dev/config"] = config };
                j.Spec.Template.Metadata.Labels = new Dictionary<string, string> { ["tier"] = "a", ["app"] = "downward" };
                j.Spec.Template.Spec.Volumes =
                [
                    new V1Volume
                    {
                        Name = "pod",
                        DownwardAPI = new V1DownwardAPIVolumeSource
                        {
                            DefaultMode = 0x180, // 0600
                            Items =
                            [
                                new V1DownwardAPIVolumeFile { Path = "config.yaml", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.annotations['lineage.dev/config']" } },
                                new V1DownwardAPIVolumeFile { Path = "name", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } },
                                new V1DownwardAPIVolumeFile { Path = "labels", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.labels" } },
                                new V1DownwardAPIVolumeFile { Path = "annotations", FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.annotations" } },
                                new V1DownwardAPIVolumeFile { Path = "cpu", ResourceFieldRef = new V1ResourceFieldSelector { ContainerName = "main", Resource = "limits.cpu", Divisor = new("1m") } },
                            ],
                        },
                    },
                ];
            });
        await cluster.CreateAsync(job);

        await cluster.WaitForJobAsync("downward", j => HasCondition(j, JobConditions.Complete) || HasCondition(j, JobConditions.Failed), "finished");
        var pod = Assert.Single(await cluster.PodsOfAsync("downward"));
        // The annotation's value byte for byte; a whole label map as sorted key="value" lines (the Job controller's
        // labels included); a resource divided by its divisor; the volume's defaultMode.
        var labels = string.Join("\n", pod.Metadata.Labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"{l.Key}=\"{l.Value}\""));
        Assert.Contains("app=\"downward\"\n", labels);
        const string annotations = """lineage.dev/config="steps: 3\nname: \"a b\"\n" """;
        Assert.Equal($"{config}---\n{pod.Metadata.Name}\n{labels}\n{annotations.TrimEnd()}\n1500\n600\n", cluster.LogOf(pod));
    }

    [Fact]
    public async Task A_downward_api_volume_may_not_read_the_pods_status()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("no-status", "true", container: c => c.VolumeMounts = [new V1VolumeMount { Name = "pod", MountPath = "/etc/pod" }],
            job: j => j.Spec.Template.Spec.Volumes =
            [
                new V1Volume
                {
                    Name = "pod",
                    DownwardAPI = new V1DownwardAPIVolumeSource { Items = [new V1DownwardAPIVolumeFile { Path = "ip", FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } }] },
                },
            ]));
        var pending = await WaitForAsync(() => cluster.PodsOfAsync("no-status"),
            pods => pods.Count == 1 && pods[0].Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting?.Message is not null, "a waiting container");
        Assert.Contains("MountVolume.SetUp failed for volume \"pod\" : fieldPath status.podIP of item ip is not supported in a volume",
            pending[0].Status.ContainerStatuses[0].State.Waiting.Message);
    }

    [Fact]
    public async Task A_missing_secret_leaves_the_pod_pending_with_CreateContainerConfigError_until_the_secret_exists()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("needs-secret", "echo token=$TOKEN", container: c => c.Env =
            [new V1EnvVar { Name = "TOKEN", ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = "later", Key = "token" } } }]));

        var pending = await WaitForAsync(() => cluster.PodsOfAsync("needs-secret"),
            pods => pods.Count == 1 && pods[0].Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting is not null, "a waiting container");
        var pod = pending[0];
        Assert.Equal("Pending", pod.Status.Phase);
        var waiting = pod.Status.ContainerStatuses[0].State.Waiting;
        Assert.Equal("CreateContainerConfigError", waiting.Reason);
        Assert.Equal("secret \"later\" not found", waiting.Message);
        Assert.Contains(await cluster.EventsOfAsync(pod.Metadata.Name), e => e.Reason == "Failed" && e.Message == "Error: secret \"later\" not found");

        await cluster.Client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "later" },
            StringData = new Dictionary<string, string> { ["other"] = "x" },
        }, Ns);
        await WaitForAsync(() => cluster.PodsOfAsync("needs-secret"),
            pods => pods[0].Status.ContainerStatuses[0].State.Waiting?.Message == $"couldn't find key token in Secret {Ns}/later", "the missing key to be reported");

        await cluster.Client.CoreV1.ReplaceNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "later" },
            StringData = new Dictionary<string, string> { ["token"] = "abc" },
        }, "later", Ns);
        await cluster.WaitForJobAsync("needs-secret", j => HasCondition(j, JobConditions.Complete), "Complete");
        Assert.Equal("token=abc\n", cluster.LogOf(Assert.Single(await cluster.PodsOfAsync("needs-secret"))));
    }

    [Fact]
    public async Task A_missing_configmap_volume_leaves_the_pod_creating_with_the_kubelets_FailedMount_message()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("needs-config", "cat /etc/cfg/x", container: c => c.VolumeMounts = [new V1VolumeMount { Name = "cfg", MountPath = "/etc/cfg" }],
            job: j => j.Spec.Template.Spec.Volumes = [new V1Volume { Name = "cfg", ConfigMap = new V1ConfigMapVolumeSource { Name = "absent" } }]));

        var pods = await WaitForAsync(() => cluster.PodsOfAsync("needs-config"),
            p => p.Count == 1 && p[0].Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting is not null, "a waiting container");

        var waiting = pods[0].Status.ContainerStatuses[0].State.Waiting;
        Assert.Equal("ContainerCreating", waiting.Reason);
        const string message = "MountVolume.SetUp failed for volume \"cfg\" : configmap \"absent\" not found";
        Assert.Equal(message, waiting.Message);
        Assert.Contains(await cluster.EventsOfAsync(pods[0].Metadata.Name), e => e.Reason == "FailedMount" && e.Message == message);
        Assert.Equal("False", pods[0].Status.Conditions.Single(c => c.Type == "Ready").Status);
    }

    [Fact]
    public async Task An_image_the_node_maps_to_no_command_leaves_the_pod_pending_with_ErrImagePull()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("unknown-image", "true", container: c => c.Image = "registry.example/unknown:1.0"));

        var pods = await WaitForAsync(() => cluster.PodsOfAsync("unknown-image"),
            p => p.Count == 1 && p[0].Status?.ContainerStatuses?.FirstOrDefault()?.State?.Waiting is not null, "a waiting container");

        var waiting = pods[0].Status.ContainerStatuses[0].State.Waiting;
        Assert.Equal("ErrImagePull", waiting.Reason);
        Assert.Contains("registry.example/unknown:1.0", waiting.Message);
    }

    [Fact]
    public async Task A_command_that_does_not_exist_fails_the_pod_with_StartError()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("no-binary", "ignored", container: c => c.Command = ["lineage-no-such-binary"]));

        await cluster.WaitForJobAsync("no-binary", j => HasCondition(j, JobConditions.Failed), "Failed");

        var terminated = Assert.Single(await cluster.PodsOfAsync("no-binary")).Status.ContainerStatuses[0].State.Terminated;
        Assert.Equal(128, terminated.ExitCode);
        Assert.Equal("StartError", terminated.Reason);
        Assert.Equal("exec: \"lineage-no-such-binary\": executable file not found in $PATH", terminated.Message);
    }

    [Fact]
    public async Task A_working_directory_outside_the_pods_volumes_is_not_created_on_the_node()
    {
        await using var cluster = await LocalCluster.StartAsync();
        await cluster.CreateAsync(ShellJob("workdir", "pwd", container: c => c.WorkingDir = "/lineage-no-such-dir"));

        await cluster.WaitForJobAsync("workdir", j => HasCondition(j, JobConditions.Failed), "Failed");

        var terminated = Assert.Single(await cluster.PodsOfAsync("workdir")).Status.ContainerStatuses[0].State.Terminated;
        Assert.Equal("StartError", terminated.Reason);
        Assert.Contains("workingDir /lineage-no-such-dir does not exist on the local node", terminated.Message);
        Assert.False(Directory.Exists("/lineage-no-such-dir"));
    }
}
