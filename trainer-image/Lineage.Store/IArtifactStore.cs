namespace Lineage.Store;

/// <summary>
/// A flat key space of immutable-ish objects under one root (an S3 bucket/prefix or a local folder).
/// Keys are relative, '/'-separated, the same on every backend (see <c>Lineage.Contracts.Store.StoreLayout</c>).
/// Content is streamed both ways; nothing here holds a whole object in memory.
/// </summary>
public interface IArtifactStore
{
    /// <summary>The root this store was opened on, as a URI (<c>s3://bucket/prefix</c> or <c>file:///path</c>).</summary>
    string Root { get; }
    /// <summary>Opens an object for reading; null when it does not exist.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);
    /// <summary>
    /// Writes (or overwrites) an object from a stream of any length. A seekable stream is rewound and
    /// sent again when a transient failure interrupts the upload; a forward-only one gets one attempt.
    /// </summary>
    Task WriteAsync(string key, Stream content, CancellationToken ct);
    /// <summary>Writes an object from a source opened once per attempt, so retries re-read it from the start.</summary>
    Task WriteAsync(string key, Func<Stream> openContent, CancellationToken ct);
    /// <summary>Every object whose key starts with <paramref name="prefix"/>, in key order.</summary>
    Task<IReadOnlyList<StoredObject>> ListAsync(string prefix, CancellationToken ct);
    /// <summary>Deletes one object; no error when it is already gone.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}
