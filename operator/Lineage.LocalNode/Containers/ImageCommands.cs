namespace Lineage.LocalNode.Containers;

/// <summary>
/// What an image runs on this node: the image's entrypoint as a local command, e.g.
/// <c>{ "*": ["dotnet", "/opt/lineage/lineage-trainer.dll"] }</c>. An image matches its exact name, then its name
/// without tag or digest, then <c>*</c>.
/// </summary>
public sealed class ImageCommands(IReadOnlyDictionary<string, IReadOnlyList<string>> images)
{
    public IReadOnlyList<string>? EntrypointOf(string? image)
    {
        image ??= "";
        if (images.TryGetValue(image, out var exact)) return exact;
        if (images.TryGetValue(Repository(image), out var repository)) return repository;
        return images.TryGetValue("*", out var any) ? any : null;
    }

    /// <summary>The image reference without <c>@digest</c> and <c>:tag</c> (a colon before the last slash is a registry port).</summary>
    public static string Repository(string image)
    {
        var at = image.IndexOf('@');
        if (at >= 0) image = image[..at];
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? image[..colon] : image;
    }
}
