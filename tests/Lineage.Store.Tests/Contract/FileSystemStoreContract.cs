using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.Contract;

public sealed class FileSystemStoreContract : StoreContract
{
    readonly TemporaryDirectory root = new();
    protected override IArtifactStore Store { get; }

    public FileSystemStoreContract() => Store = new FileSystemStore(root.Path);

    [Fact]
    public async Task Reading_and_writing_small_objects_allocates_no_large_buffer_per_file()
    {
        // The operator reads a few hundred bytes of progress.json or result.json per reconcile; a 1 MiB FileStream
        // buffer per open landed on the large object heap and cost a full GC every few reads.
        var json = new byte[300];
        Array.Fill(json, (byte)'x');
        await Store.WriteAsync("gen-1/progress.json", new MemoryStream(json, writable: false), CancellationToken.None);
        await Store.ReadSmallAsync("gen-1/progress.json", 1 << 20, CancellationToken.None); // warm-up (JIT, thread pool)

        const int Files = 20;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < Files; i++)
        {
            // Synchronously on this thread: the stream and its buffer are allocated here, before any read is queued.
            Store.WriteAsync($"gen-1/progress-{i}.json", new MemoryStream(json, writable: false), CancellationToken.None).GetAwaiter().GetResult();
            Assert.Equal(json, Store.ReadSmallAsync($"gen-1/progress-{i}.json", 1 << 20, CancellationToken.None).GetAwaiter().GetResult());
        }
        var perFile = (GC.GetAllocatedBytesForCurrentThread() - before) / Files;

        Assert.True(perFile < 16 << 10, $"a small write and read allocated {perFile:N0} bytes on the caller's thread (a large buffer per file?)");
    }

    public override void Dispose()
    {
        root.Dispose();
        base.Dispose();
    }
}
