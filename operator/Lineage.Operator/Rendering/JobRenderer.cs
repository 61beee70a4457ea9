using k8s.Models;
using Lineage.Contracts;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Store.S3;

namespace Lineage.Operator.Rendering;

/// <summary>
/// A batch/v1 Job running <c>lineage-trainer COMMAND --config /etc/lineage/config.yaml</c>, the config carried in the
/// Job (<see cref="TrainerConfigFile"/>: a pod annotation projected by a downwardAPI volume). Pods restart
/// as new pods (restartPolicy Never, counted against backoffLimit unless the pod failure policy says otherwise) and
/// resume from the last checkpoint; S3
/// credentials arrive only through secretKeyRef; the container runs as the image's non-root user.
/// </summary>
public static class JobRenderer
{
    public const string Container = "trainer";
    public const string GpuResource = "nvidia.com/gpu";
    /// <summary>The non-root user of the trainer image (the .NET images' "app").</summary>
    public const long User = 1654;
    /// <summary>The writable emptyDir where the trainer keeps downloaded models (the root filesystem is read-only).</summary>
    public const string CachePath = "/var/cache/lineage";
    /// <summary>The writable emptyDir for temporary files.</summary>
    public const string TmpPath = "/tmp";

    public static V1Job Render(TrainerJob job)
    {
        var labels = new Dictionary<string, string>(job.Labels);
        return new V1Job
        {
            ApiVersion = "batch/v1",
            Kind = "Job",
            Metadata = new V1ObjectMeta
            {
                Name = job.Name, NamespaceProperty = job.Namespace, Labels = labels, OwnerReferences = [job.Owner],
                Annotations = new Dictionary<string, string> { [TrainerConfigFile.HashAnnotation] = TrainerConfigFile.Hash(job.ConfigYaml) },
            },
            Spec = new V1JobSpec
            {
                BackoffLimit = job.BackoffLimit,
                ActiveDeadlineSeconds = job.ActiveDeadlineSeconds,
                Suspend = job.Suspend,
                Completions = 1,
                Parallelism = 1,
                PodFailurePolicy = FailurePolicy,
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = new Dictionary<string, string>(labels),
                        Annotations = new Dictionary<string, string> { [TrainerConfigFile.Annotation] = job.ConfigYaml },
                    },
                    Spec = Pod(job),
                },
            },
        };
    }

    /// <summary>
    /// A trainer that rejected its input fails the Job at once (a new pod would read the same config and data, and
    /// its message would only arrive after backoffLimit retries); a pod evicted or preempted (DisruptionTarget) is
    /// replaced without counting against backoffLimit, as the Kubernetes docs advise for long training pods. Every
    /// other failure (a crash, an OOM kill, a store that stayed unreachable) counts and is retried from the last checkpoint.
    /// </summary>
    public static V1PodFailurePolicy FailurePolicy => new()
    {
        Rules =
        [
            new V1PodFailurePolicyRule
            {
                Action = "FailJob",
                OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement
                {
                    ContainerName = Container, OperatorProperty = "In", Values = [TrainerExitCodes.InvalidInput],
                },
            },
            new V1PodFailurePolicyRule
            {
                Action = "Ignore",
                OnPodConditions = [new V1PodFailurePolicyOnPodConditionsPattern { Type = "DisruptionTarget", Status = "True" }],
            },
        ],
    };

    static V1PodSpec Pod(TrainerJob job) => new()
    {
        RestartPolicy = "Never",
        AutomountServiceAccountToken = false,
        NodeSelector = job.Resources.NodeSelector?.ToDictionary(),
        Tolerations = job.Resources.Tolerations?.Select(t => new V1Toleration
        {
            Key = t.Key, OperatorProperty = t.Operator, Value = t.Value, Effect = t.Effect, TolerationSeconds = t.TolerationSeconds,
        }).ToList(),
        PriorityClassName = job.Resources.PriorityClassName,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            RunAsUser = User,
            RunAsGroup = User,
            FsGroup = User,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers =
        [
            new V1Container
            {
                Name = Container,
                Image = job.Resources.Image,
                Args = [job.Command, "--config", TrainerConfigFile.ConfigPath],
                Env = Environment(job.Storage, job.Resources),
                Resources = Requirements(job.Resources),
                TerminationMessagePolicy = "FallbackToLogsOnError",
                SecurityContext = new V1SecurityContext
                {
                    AllowPrivilegeEscalation = false,
                    ReadOnlyRootFilesystem = true,
                    Capabilities = new V1Capabilities { Drop = ["ALL"] },
                },
                VolumeMounts =
                [
                    new V1VolumeMount { Name = "config", MountPath = TrainerConfigFile.MountPath, ReadOnlyProperty = true },
                    new V1VolumeMount { Name = "cache", MountPath = CachePath },
                    new V1VolumeMount { Name = "tmp", MountPath = TmpPath },
                ],
            },
        ],
        Volumes =
        [
            new V1Volume
            {
                Name = "config",
                DownwardAPI = new V1DownwardAPIVolumeSource
                {
                    Items = [new V1DownwardAPIVolumeFile { Path = TrainerConfigFile.Key, FieldRef = new V1ObjectFieldSelector { FieldPath = TrainerConfigFile.FieldPath } }],
                },
            },
            new V1Volume { Name = "cache", EmptyDir = new V1EmptyDirVolumeSource() },
            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        ],
    };

    static List<V1EnvVar> Environment(StorageSpec storage, Resources resources)
    {
        var env = new List<V1EnvVar>
        {
            // Set here, not only in the image: any image the spec names must write its cache to the mounted volume.
            new() { Name = Lineage.Store.Cache.ModelCache.DirectoryVariable, Value = CachePath },
            new() { Name = "TMPDIR", Value = TmpPath },
            new() { Name = S3Settings.RegionVariable, Value = storage.Region },
            // cuda, not auto, with a GPU: a pod that cannot see the GPU it was given fails instead of training on the CPU.
            new() { Name = DeviceSetting.Variable, Value = resources.Gpus > 0 ? DeviceSetting.Cuda : DeviceSetting.Cpu },
        };
        if (!storage.Uri.StartsWith("file://", StringComparison.Ordinal))
            env.Add(new V1EnvVar { Name = S3Settings.EndpointVariable, Value = storage.EffectiveEndpoint() });
        if (storage.SecretName is not null)
        {
            env.Add(FromSecret(StorageSpec.AccessKeyIdKey, storage.SecretName));
            env.Add(FromSecret(StorageSpec.SecretAccessKeyKey, storage.SecretName));
        }
        return env;
    }

    static V1EnvVar FromSecret(string key, string secret) => new()
    {
        Name = key,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret, Key = key } },
    };

    static V1ResourceRequirements Requirements(Resources resources)
    {
        var quantities = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(resources.Cpu),
            ["memory"] = new(resources.Memory),
        };
        if (resources.Gpus > 0) quantities[GpuResource] = new(resources.Gpus.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity>(quantities), Limits = quantities };
    }
}
