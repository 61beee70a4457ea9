using k8s.Models;
using Lineage.LocalNode.Containers;

namespace Lineage.LocalNode.Tests.Containers;

public sealed class ContainerLaunchTests
{
    static readonly PodDirectories Dirs = new("/node", "/logs");
    static readonly IReadOnlyDictionary<string, string> BaseEnv = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/root" };

    static V1Pod Pod(V1Container container) => new()
    {
        Metadata = new V1ObjectMeta { Name = "train-x", NamespaceProperty = "ml", Uid = "u" },
        Spec = new V1PodSpec { Containers = [container] },
    };

    static V1Container Trainer() => new()
    {
        Name = "trainer",
        Image = "lineage-trainer:1",
        Args = ["sft", "--config", "/etc/lineage/config.yaml"],
        VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = "/etc/lineage" }, new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
        Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("2"), ["memory"] = new("1Gi") } },
    };

    static readonly IReadOnlyDictionary<string, string> Volumes = new Dictionary<string, string> { ["config"] = "/node/pods/u/volumes/config", ["tmp"] = "/node/pods/u/volumes/tmp" };

    [Fact]
    public void The_images_entrypoint_is_followed_by_the_args_with_mount_paths_rewritten()
    {
        var spec = ContainerLaunch.Plan(Pod(Trainer()), Trainer(), new Dictionary<string, string>(), Volumes, Dirs, ["dotnet", "/opt/lineage-trainer.dll"], BaseEnv);

        Assert.Equal("dotnet", spec.FileName);
        Assert.Equal(["/opt/lineage-trainer.dll", "sft", "--config", "/node/pods/u/volumes/config/config.yaml"], spec.Arguments);
        Assert.Equal("/logs/ml/train-x/trainer.log", spec.LogPath);
        Assert.Equal("/node/pods/u/containers/trainer/work", spec.WorkingDirectory);
        Assert.Equal(1L << 30, spec.MemoryLimitBytes);
    }

    [Fact]
    public void The_environment_is_the_nodes_base_then_the_kubelets_then_the_containers_own()
    {
        var env = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = "1", ["CACHE"] = "/tmp/cache" };

        var spec = ContainerLaunch.Plan(Pod(Trainer()), Trainer(), env, Volumes, Dirs, ["dotnet"], BaseEnv);

        Assert.Equal("/usr/bin:/bin", spec.Environment["PATH"]);
        Assert.Equal("/node/pods/u/containers/trainer/home", spec.Environment["HOME"]);
        Assert.Equal("/node/pods/u/volumes/tmp", spec.Environment["TMPDIR"]);
        Assert.Equal("train-x", spec.Environment["HOSTNAME"]);
        Assert.Equal("1", spec.Environment["OMP_NUM_THREADS"]);
        Assert.Equal("2", spec.Environment["MKL_NUM_THREADS"]);
        Assert.Equal("2", spec.Environment["DOTNET_PROCESSOR_COUNT"]);
        Assert.Equal("/node/pods/u/volumes/tmp/cache", spec.Environment["CACHE"]);
    }

    [Fact]
    public void The_containers_command_replaces_the_entrypoint_and_variables_expand_in_command_and_args()
    {
        var container = Trainer();
        container.Command = ["/bin/sh", "-c"];
        container.Args = ["echo $(MODE) > /tmp/out"];

        var spec = ContainerLaunch.Plan(Pod(container), container, new Dictionary<string, string> { ["MODE"] = "fast" }, Volumes, Dirs, ["dotnet"], BaseEnv);

        Assert.Equal("/bin/sh", spec.FileName);
        Assert.Equal(["-c", "echo fast > /node/pods/u/volumes/tmp/out"], spec.Arguments);
    }

    [Theory]
    [InlineData("500m", 1)]
    [InlineData("1", 1)]
    [InlineData("1500m", 2)]
    [InlineData("4", 4)]
    public void Thread_counts_follow_the_cpu_limit_rounded_up(string limit, int threads)
    {
        var container = new V1Container { Resources = new V1ResourceRequirements { Limits = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(limit) } } };

        Assert.Equal(threads, ContainerLaunch.Threads(container));
    }

    [Fact]
    public void Without_a_cpu_limit_no_thread_count_is_set()
    {
        var container = Trainer();
        container.Resources = null;

        var spec = ContainerLaunch.Plan(Pod(container), container, new Dictionary<string, string>(), Volumes, Dirs, ["dotnet"], BaseEnv);

        Assert.False(spec.Environment.ContainsKey("OMP_NUM_THREADS"));
        Assert.Null(spec.MemoryLimitBytes);
    }

    [Fact]
    public void An_unmapped_image_is_ErrImagePull_naming_the_image()
    {
        var error = Assert.Throws<ContainerConfigError>(() =>
            ContainerLaunch.Plan(Pod(Trainer()), Trainer(), new Dictionary<string, string>(), Volumes, Dirs, null, BaseEnv));

        Assert.Equal("ErrImagePull", error.Reason);
        Assert.Contains("lineage-trainer:1", error.Message);
    }

    [Fact]
    public void A_subPath_mount_and_the_termination_message_path_map_into_the_pods_folder()
    {
        var container = Trainer();
        container.VolumeMounts = [new V1VolumeMount { Name = "config", MountPath = "/etc/app.yaml", SubPath = "config.yaml" }];

        var mounts = ContainerLaunch.Mounts(Pod(container), container, Volumes, Dirs);

        Assert.Equal("/node/pods/u/volumes/config/config.yaml", mounts["/etc/app.yaml"]);
        Assert.Equal("/node/pods/u/containers/trainer/termination-log", mounts["/dev/termination-log"]);
    }
}
