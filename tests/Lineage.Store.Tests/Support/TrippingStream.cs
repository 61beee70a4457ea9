namespace Lineage.Store.Tests.Support;

/// <summary>Reads through to a file and runs <paramref name="trip"/> once, when <paramref name="afterBytes"/> have passed (e.g. to kill the server mid-upload).</summary>
sealed class TrippingStream(Stream inner, long afterBytes, Action trip) : Stream
{
    long read;
    bool tripped;
    public override bool CanRead => true;
    public override bool CanSeek => inner.CanSeek;
    public override bool CanWrite => false;
    public override long Length => inner.Length;
    public override long Position { get => inner.Position; set => inner.Position = value; }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = inner.Read(buffer, offset, count);
        read += n;
        if (!tripped && read >= afterBytes) { tripped = true; trip(); }
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
    {
        int n = await inner.ReadAsync(buffer, ct);
        read += n;
        if (!tripped && read >= afterBytes) { tripped = true; trip(); }
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
}
