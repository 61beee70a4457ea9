namespace Lineage.Store;

/// <summary>Whole-object reads for the few small files (manifests, progress.json, result.json) that are meant to fit in memory.</summary>
public static class SmallObjects
{
    /// <summary>The object's bytes, null when it does not exist; larger than <paramref name="maxBytes"/> is an error.</summary>
    public static async Task<byte[]?> ReadSmallAsync(this IArtifactStore store, string key, int maxBytes, CancellationToken ct)
    {
        var stream = await store.OpenReadAsync(key, ct).ConfigureAwait(false);
        if (stream is null) return null;
        await using (stream.ConfigureAwait(false))
        {
            if (stream.CanSeek)
            {
                // A file (or any stream that knows its length): one array of exactly that size, no copies. The file store
                // replaces objects by rename, so an open file does not change length under the reader.
                var length = stream.Length - stream.Position;
                if (length > maxBytes) throw new InvalidDataException($"{store.Root}/{key}: larger than {maxBytes} bytes, not a small contract file");
                var bytes = new byte[length];
                await stream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
                return bytes;
            }
            using var buffer = new MemoryStream();
            var chunk = new byte[16 << 10];
            int n;
            while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > maxBytes) throw new InvalidDataException($"{store.Root}/{key}: larger than {maxBytes} bytes, not a small contract file");
                buffer.Write(chunk, 0, n);
            }
            return buffer.ToArray();
        }
    }
}
