using Lineage.Operator.Api.Schema;

namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>What a training or evaluation pod runs on.</summary>
public sealed record Resources
{
    public const string DefaultImage = "ghcr.io/lineage-dev/lineage-trainer:0.1.0";

    /// <summary>The trainer image (runs lineage-trainer as its entrypoint).</summary>
    [Length(1)]
    public string Image { get; init; } = DefaultImage;
    /// <summary>GPUs per pod, requested as nvidia.com/gpu: 0 (CPU, the default) or 1. The trainer runs on one device (LINEAGE_DEVICE
    /// is cuda with a GPU, cpu without); it has no data parallelism, so a second GPU would sit idle and is refused at admission.</summary>
    [Range(0), CelRule("self <= 1", MaxGpusMessage)]
    public int Gpus { get; init; }

    public const string MaxGpusMessage =
        "at most 1: the trainer trains on one device and has no data parallelism, so more GPUs would sit idle (docs/operator-api.md, resources.gpus)";
    /// <summary>CPU request and limit. Default 2.</summary>
    [Pattern(Patterns.Quantity)]
    public string Cpu { get; init; } = "2";
    /// <summary>Memory request and limit. Default 8Gi.</summary>
    [Pattern(Patterns.Quantity)]
    public string Memory { get; init; } = "8Gi";
    /// <summary>Node labels the pod must match.</summary>
    public IReadOnlyDictionary<string, string>? NodeSelector { get; init; }
    /// <summary>Taints the pod tolerates.</summary>
    public IReadOnlyList<Toleration>? Tolerations { get; init; }
    /// <summary>PriorityClass of the pods (preemptible training vs. serving).</summary>
    public string? PriorityClassName { get; init; }
}
