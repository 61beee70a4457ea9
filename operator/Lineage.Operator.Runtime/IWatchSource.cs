namespace Lineage.Operator.Runtime;

/// <summary>What an informer needs from the API server: a consistent list, and a watch continuing from it.</summary>
public interface IWatchSource<T>
{
    /// <summary>Lists every object of the kind (in one namespace, or all when null).</summary>
    Task<ResourceSnapshot<T>> ListAllAsync(string? @namespace, CancellationToken ct);

    /// <summary>Watches from <paramref name="resourceVersion"/> with bookmarks until the server ends the stream.</summary>
    IAsyncEnumerable<ResourceEvent<T>> WatchAsync(string? @namespace, string resourceVersion, TimeSpan timeout, CancellationToken ct);
}
