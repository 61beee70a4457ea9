namespace Lineage.Store.S3;

/// <summary>
/// The SDK hands out a response body only inside a callback. This read-only view keeps that callback
/// open until the reader disposes it, so callers get an ordinary forward-only stream with nothing buffered.
/// A read that gets no data for <see cref="StallTimeout"/> fails with a <see cref="TimeoutException"/> (transient: retried).
/// </summary>
sealed class CallbackScopedStream(Stream body, TaskCompletionSource released, Task request, CancellationTokenSource lifetime) : Stream
{
    public static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => body.Read(buffer, offset, count);
    public override int Read(Span<byte> buffer) => body.Read(buffer);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        stall.CancelAfter(StallTimeout);
        try
        {
            return await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no data from the S3 server for {StallTimeout.TotalSeconds:0} s");
        }
    }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && released.TrySetResult())
        {
            // The request finishes on its own once the callback returns; observe its outcome so nothing goes unobserved.
            _ = request.ContinueWith(t => { _ = t.Exception; lifetime.Dispose(); }, TaskScheduler.Default);
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (released.TrySetResult())
        {
            try { await request.ConfigureAwait(false); }
            catch (Exception) { /* the body was already read (or abandoned); a late error changes nothing */ }
            finally { lifetime.Dispose(); }
        }
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
