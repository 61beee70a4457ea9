using Lineage.Store.Resilience;
using Minio;
using Minio.DataModel.Args;
using Minio.Exceptions;

namespace Lineage.Store.S3;

/// <summary>
/// <c>s3://bucket/prefix</c> through the Minio SDK. Uploads stream (the SDK goes multipart from 5 MiB);
/// downloads stream the response body straight to the caller (no ranged GETs: broken in SDK 7.0.0).
/// Transient failures are retried within <see cref="RetryBudget"/>; permanent ones fail at once, naming bucket and key.
/// </summary>
public sealed class S3Store : IArtifactStore, IDisposable
{
    readonly IMinioClient client;
    readonly S3Settings settings;
    readonly string bucket;
    readonly string prefix;
    readonly StoreRetry retry;

    public S3Store(S3Settings settings, string bucket, string prefix = "", RetryBudget? budget = null)
    {
        settings.Validate();
        if (string.IsNullOrWhiteSpace(bucket)) throw new ArtifactStoreException("s3 location: the bucket name is empty");
        this.settings = settings;
        this.bucket = bucket;
        this.prefix = prefix.Trim('/') is { Length: > 0 } p ? p + "/" : "";
        retry = new StoreRetry(budget);
        client = new MinioClient()
            .WithEndpoint(settings.HostAndPort)
            .WithSSL(settings.Secure)
            .WithRegion(settings.Region)
            .WithCredentials(settings.AccessKey, settings.SecretKey)
            .Build();
    }

    public string Root => $"s3://{bucket}/{prefix}".TrimEnd('/');

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        string name = ObjectName(key);
        return await Guarded(name, () => retry.ExecuteAsync(token => OpenOnceAsync(name, token), Where(name), ct)).ConfigureAwait(false);
    }

    public async Task WriteAsync(string key, Stream content, CancellationToken ct)
    {
        if (!content.CanSeek)
        {
            string name = ObjectName(key);
            await Guarded(name, () => PutAsync(name, content, -1, ct)).ConfigureAwait(false);
            return;
        }
        long start = content.Position;
        await WriteAsync(key, () => { content.Position = start; return new NonClosingStream(content); }, ct).ConfigureAwait(false);
    }

    public async Task WriteAsync(string key, Func<Stream> openContent, CancellationToken ct)
    {
        string name = ObjectName(key);
        await Guarded(name, () => retry.ExecuteAsync(async token =>
        {
            await using var content = openContent();
            await PutAsync(name, content, content.CanSeek ? content.Length - content.Position : -1, token).ConfigureAwait(false);
        }, Where(name), ct)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredObject>> ListAsync(string keyPrefix, CancellationToken ct)
    {
        string name = prefix + keyPrefix;
        return await Guarded(name, () => retry.ExecuteAsync<IReadOnlyList<StoredObject>>(async token =>
        {
            var found = new List<StoredObject>();
            var args = new ListObjectsArgs().WithBucket(bucket).WithPrefix(name).WithRecursive(true);
            await foreach (var item in client.ListObjectsEnumAsync(args, token).ConfigureAwait(false))
                if (!item.IsDir) found.Add(new StoredObject(item.Key[prefix.Length..], (long)item.Size));
            found.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
            return found;
        }, Where(name), ct)).ConfigureAwait(false);
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        string name = ObjectName(key);
        await Guarded(name, () => retry.ExecuteAsync(
            token => client.RemoveObjectAsync(new RemoveObjectArgs().WithBucket(bucket).WithObject(name), token), Where(name), ct)).ConfigureAwait(false);
    }

    public void Dispose() => client.Dispose();

    async Task<Stream?> OpenOnceAsync(string name, CancellationToken ct)
    {
        var body = new TaskCompletionSource<Stream>(TaskCreationOptions.RunContinuationsAsynchronously);
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var lifetime = new CancellationTokenSource();
        var args = new GetObjectArgs().WithBucket(bucket).WithObject(name).WithCallbackStream(async (stream, _) =>
        {
            body.TrySetResult(stream);
            await released.Task.ConfigureAwait(false);
        });
        Task request;
        using (ct.Register(lifetime.Cancel))
        {
            request = client.GetObjectAsync(args, lifetime.Token);
            try
            {
                if (await Task.WhenAny(body.Task, request).ConfigureAwait(false) == body.Task)
                    return new CallbackScopedStream(body.Task.Result, released, request, lifetime);
                await request.ConfigureAwait(false);
                throw new ArtifactStoreException($"{Where(name)}: the SDK returned no response body");
            }
            catch (ObjectNotFoundException)
            {
                lifetime.Dispose();
                return null;
            }
            catch (Exception)
            {
                lifetime.Dispose();
                throw;
            }
        }
    }

    Task PutAsync(string name, Stream content, long size, CancellationToken ct) =>
        client.PutObjectAsync(new PutObjectArgs().WithBucket(bucket).WithObject(name).WithStreamData(content).WithObjectSize(size)
            .WithContentType("application/octet-stream"), ct);

    async Task<T> Guarded<T>(string name, Func<Task<T>> operation)
    {
        try { return await operation().ConfigureAwait(false); }
        catch (Exception e) when (S3Failure.Describe(e, settings, bucket, name) is { } permanent) { throw permanent; }
    }

    async Task Guarded(string name, Func<Task> operation) =>
        await Guarded<bool>(name, async () => { await operation().ConfigureAwait(false); return true; }).ConfigureAwait(false);

    string Where(string name) => $"s3://{bucket}/{name} at {settings.HostAndPort}";

    string ObjectName(string key)
    {
        if (string.IsNullOrEmpty(key) || key.StartsWith('/') || key.Split('/').Any(part => part is "" or "." or ".."))
            throw new ArgumentException($"store key '{key}' must be a relative path without empty, '.' or '..' parts", nameof(key));
        return prefix + key;
    }
}
