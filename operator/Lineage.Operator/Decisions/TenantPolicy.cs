using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Decisions;

/// <summary>
/// What a tenant who may create a Generation, GrpoRun or Distillation may not choose: the trainer image (it receives the
/// namespace's store keys) must be on the operator's allow-list, and the store must not be a <c>file://</c> folder,
/// which in a cluster is a path inside the operator's own container (it reads and, with retention delete, deletes there).
/// Local mode keeps file:// stores: there the store is this machine's folder by design.
/// </summary>
public sealed record TenantPolicy
{
    /// <summary>Allows every image (the <c>--allowed-images</c> value <c>*</c>).</summary>
    public const string AnyImage = "*";

    /// <summary>Exact image references a pod may run, or <see cref="AnyImage"/>. Default: the trainer image this operator was built with.</summary>
    public IReadOnlyList<string> AllowedImages { get; init; } = [Resources.DefaultImage];

    /// <summary>Whether file:// stores are allowed (local mode, and tests that play the cluster with a folder as store).</summary>
    public bool AllowFileStorage { get; init; }

    /// <summary>Any image, file:// stores: for the controllers' tests, which play the cluster with a folder as store.</summary>
    public static readonly TenantPolicy Unrestricted = new() { AllowedImages = [AnyImage], AllowFileStorage = true };

    /// <summary>Why this spec may not run here (naming the field), or null.</summary>
    public string? Problem(Resources resources, StorageSpec storage) => ImageProblem(resources) ?? StorageProblem(storage);

    public string? ImageProblem(Resources resources) =>
        AllowedImages.Contains(AnyImage) || AllowedImages.Contains(resources.Image)
            ? null
            : $"spec.resources.image: '{resources.Image}' is not an allowed trainer image (the operator's --allowed-images: {string.Join(", ", AllowedImages)})";

    public string? StorageProblem(StorageSpec storage) =>
        AllowFileStorage || !storage.Uri.StartsWith("file:", StringComparison.OrdinalIgnoreCase)
            ? null
            : $"spec.storage.uri: '{storage.Uri}' is a file:// store, which only local mode allows (in a cluster it would be a folder of the operator's own container); use s3://";
}
