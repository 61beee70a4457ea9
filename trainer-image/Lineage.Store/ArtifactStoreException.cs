namespace Lineage.Store;

/// <summary>
/// A store operation that cannot succeed by trying again (missing bucket, denied access, bad credentials),
/// or transient failures that outlasted the retry budget. The message names the object and what to check.
/// </summary>
public sealed class ArtifactStoreException(string message, Exception? inner = null) : IOException(message, inner);
