namespace Lineage.LocalNode.Containers;

/// <summary>
/// Why a container cannot be started yet, as the kubelet reports it in <c>state.waiting</c> (the pod stays
/// Pending and the kubelet tries again): e.g. CreateContainerConfigError, <c>secret "s3" not found</c>.
/// </summary>
public sealed class ContainerConfigError(string reason, string message) : Exception(message)
{
    public const string CreateContainerConfigError = "CreateContainerConfigError";
    public const string CreateContainerError = "CreateContainerError";
    public const string ContainerCreating = "ContainerCreating";
    public const string ErrImagePull = "ErrImagePull";

    public string Reason { get; } = reason;

    public static ContainerConfigError Config(string message) => new(CreateContainerConfigError, message);
}
