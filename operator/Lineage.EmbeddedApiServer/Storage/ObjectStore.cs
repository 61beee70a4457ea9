using System.Text.Json.Nodes;
using Lineage.EmbeddedApiServer.Persistence;

namespace Lineage.EmbeddedApiServer.Storage;

/// <summary>
/// The whole state of the server behind one lock: objects, the global resourceVersion counter, event
/// histories and open watches. Every public write is atomic, as an etcd transaction would be: its changes
/// are committed to the data file (when there is one) in one transaction before the caller gets its answer
/// and before any watcher hears of them.
/// </summary>
internal sealed partial class ObjectStore(EmbeddedApiServerOptions options, SqliteLog? log) : IDisposable
{
    /// <summary>Compact the data file's history after this many committed writes.</summary>
    private const int CompactEvery = 2_000;

    private readonly Lock gate = new();
    private readonly Dictionary<string, ResourceBucket> buckets = new(StringComparer.Ordinal);
    /// <summary>uid → namespace ("" when cluster-scoped) of every stored object, for the garbage collector.</summary>
    private readonly Dictionary<string, string> liveUids = new(StringComparer.Ordinal);
    /// <summary>Changes of the write in progress: committed, then offered to watchers, by <see cref="Flush"/>.</summary>
    private readonly List<(ResourceBucket Bucket, WatchEvent Change, bool Removed)> pending = [];
    /// <summary>Collections whose history in the data file can be forgotten up to a revision.</summary>
    private readonly Dictionary<string, long> compactions = new(StringComparer.Ordinal);
    private readonly Random names = new(options.Seed);
    private long resourceVersion;
    private int commitsSinceCompaction;

    public ResourceRegistry Registry { get; } = new();

    public long CurrentResourceVersion
    {
        get { lock (gate) return resourceVersion; }
    }

    /// <summary>Without the lock: the registry publishes each change whole (<see cref="ResourceRegistry"/>).</summary>
    public ResourceType? FindType(string group, string version, string plural) => Registry.Find(group, version, plural);

    public IReadOnlyList<ResourceType> ServedTypes() => Registry.All();

    public StoredObject Get(ResourceType type, string? ns, string name)
    {
        lock (gate) return Existing(type, ns, name);
    }

    public StoredObject? TryGet(ResourceType type, string? ns, string name)
    {
        lock (gate) return Find(type, ns, name);
    }

    public ListPage List(ResourceType type, WatchFilter filter, int? limit, ListContinuation? continuation)
    {
        lock (gate)
        {
            var bucket = Bucket(type);
            // Like an expired continue token on the real server: the pages can no longer be made consistent.
            if (continuation is not null && continuation.ResourceVersion < bucket.History.CompactedThrough)
                throw ApiException.Gone("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            var matching = bucket.Objects
                .Where(kv => continuation is null || string.CompareOrdinal(kv.Key, continuation.AfterKey) > 0)
                .Where(kv => filter.Matches(kv.Value))
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .ToList();
            var listVersion = continuation?.ResourceVersion ?? resourceVersion;
            if (limit is not > 0 || matching.Count <= limit)
                return new ListPage(matching.Select(kv => kv.Value).ToList(), listVersion, null, null);
            var page = matching.Take(limit.Value).ToList();
            return new ListPage(page.Select(kv => kv.Value).ToList(), listVersion,
                new ListContinuation(listVersion, page[^1].Key), matching.Count - page.Count);
        }
    }

    /// <summary>Runs one write under the lock, then commits and announces whatever it changed (even if it failed halfway).</summary>
    private T Write<T>(Func<T> write)
    {
        lock (gate)
        {
            try
            {
                return write();
            }
            finally
            {
                Flush();
            }
        }
    }

    private void Flush()
    {
        if (pending.Count == 0) return;
        var changes = pending.ToList();
        pending.Clear();
        if (log is not null)
        {
            try
            {
                log.Commit(changes.Select(p => new LogEntry(p.Change.ResourceVersion, p.Bucket.Type.QualifiedName, p.Change.Object.Key, p.Removed,
                    p.Change.Previous?.ResourceVersion ?? 0, p.Change.Object.Utf8)).ToList(), resourceVersion);
            }
            catch (Exception error) when (error is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                // Memory ran ahead of the file: go back to what the file holds, and make every watcher relist.
                Reload();
                throw new ApiException(500, "InternalError", $"Internal error occurred: the change could not be stored: {error.Message}");
            }
            if (++commitsSinceCompaction >= CompactEvery) CompactLog();
        }
        foreach (var (bucket, change, _) in changes)
            foreach (var watcher in bucket.Watchers) watcher.Offer(change);
    }

    private StoredObject Existing(ResourceType type, string? ns, string name) =>
        Find(type, ns, name) ?? throw ApiException.NotFound(type, name);

    private StoredObject? Find(ResourceType type, string? ns, string name) =>
        Bucket(type).Objects.GetValueOrDefault(ResourceBucket.Key(type.Namespaced ? ns : null, name));

    private ResourceBucket Bucket(ResourceType type)
    {
        if (!buckets.TryGetValue(type.QualifiedName, out var bucket))
        {
            bucket = new ResourceBucket(type, options.HistoryCapacity);
            buckets[type.QualifiedName] = bucket;
        }
        return bucket;
    }

    private string NextResourceVersion() => (++resourceVersion).ToString();

    /// <summary>Stores (or removes) the object of a change and records it in history; <see cref="Flush"/> commits and announces it.</summary>
    private void Publish(ResourceType type, WatchEvent change, bool removed = false)
    {
        var bucket = Bucket(type);
        var key = change.Object.Key;
        if (removed)
        {
            bucket.Objects.Remove(key);
            liveUids.Remove(change.Object.Uid);
        }
        else
        {
            bucket.Objects[key] = change.Object;
            liveUids[change.Object.Uid] = change.Object.Namespace;
        }
        bucket.History.Append(change);
        pending.Add((bucket, change, removed));
    }

    /// <summary>Puts apiVersion, kind and metadata first, as the real server prints objects.</summary>
    private static JsonObject Canonical(ResourceType type, JsonObject body)
    {
        var result = new JsonObject { ["apiVersion"] = type.ApiVersion, ["kind"] = type.Kind };
        var metadata = body["metadata"];
        body.Remove("metadata");
        result["metadata"] = metadata ?? new JsonObject();
        foreach (var (key, value) in body.ToList())
        {
            if (key is "apiVersion" or "kind") continue;
            body.Remove(key);
            result[key] = value;
        }
        return result;
    }

    /// <summary>
    /// A custom resource's schema: prune, default, validate (422 naming every bad field). Pruned fields are
    /// refused, reported or ignored as the request's fieldValidation says. On an update (<paramref name="current"/>,
    /// <paramref name="before"/> its tree) values left unchanged are ratcheted. Returns the schema the object satisfies
    /// in full, if any, for <see cref="StoredObject.ValidUnder"/>.
    /// </summary>
    /// <param name="onlyChanged">The one top-level property of <paramref name="obj"/> that may differ from <paramref name="before"/> (a status write's).</param>
    private static JsonObject? ApplySchema(ResourceType type, string name, JsonObject obj, WriteRequest request, StoredObject? current = null, JsonObject? before = null,
        string? onlyChanged = null)
    {
        if (type.Schema is null) return null;
        var storedIsValid = current?.ValidUnder is { } valid && ReferenceEquals(valid, type.Schema);
        var outcome = Schemas.Schema.Apply(obj, type.Schema, before, storedIsValid, onlyChanged);
        if (outcome.UnknownFields.Count > 0)
        {
            var unknown = outcome.UnknownFields.Select(f => $"unknown field \"{f}\"").ToList();
            if (request.Validation == FieldValidation.Strict)
                throw ApiException.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {string.Join(", ", unknown)}");
            if (request.Validation == FieldValidation.Warn) request.Warnings.AddRange(unknown);
        }
        if (outcome.Errors.Count > 0) throw ApiException.Invalid(type, name, outcome.Errors);
        request.Warnings.AddRange(outcome.Warnings);
        return outcome.Valid ? type.Schema : null;
    }

    private static void CheckKind(ResourceType type, JsonObject body)
    {
        if (body["kind"] is JsonValue kind && kind.TryGetValue<string>(out var text) && text.Length > 0 && text != type.Kind)
            throw ApiException.BadRequest($"the kind of the object ({text}) does not match the kind of the URL ({type.Kind})");
    }

    private static void CheckMetadata(ResourceType type, string name, JsonObject meta)
    {
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (meta[field] is null) continue;
            if (meta[field] is not JsonObject map || map.Any(kv => kv.Value is not JsonValue v || !v.TryGetValue<string>(out _)))
                throw ApiException.Invalid(type, name, $"metadata.{field}", "Invalid value: must be a map of strings");
        }
        if (meta["finalizers"] is not null and not JsonArray)
            throw ApiException.Invalid(type, name, "metadata.finalizers", "Invalid value: must be a list of strings");
    }

    public void Dispose() => log?.Dispose();
}
