namespace Lineage.Operator.Api.V1Alpha1;

/// <summary>Regular expressions the schema enforces on names and URIs.</summary>
public static class Patterns
{
    /// <summary>A DNS-1123 subdomain (object names).</summary>
    public const string Name = "^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$";
    /// <summary>A DNS-1123 label (lineage names end up in label values and store paths).</summary>
    public const string Label = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
    /// <summary>Where models live: S3 or a local folder (local mode). A Hugging Face folder is put into the store first
    /// with <c>lineage-trainer publish</c>; hf:// is refused at admission because no pod can download from a hub.</summary>
    public const string ModelUri = "^(s3|file)://.+$";
    /// <summary>A store prefix: S3 or a local folder.</summary>
    public const string StoreUri = "^(s3|file)://.+$";
    /// <summary>A Kubernetes resource quantity such as 500m, 4, 16Gi.</summary>
    public const string Quantity = "^[0-9]+(\\.[0-9]+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$";
}
