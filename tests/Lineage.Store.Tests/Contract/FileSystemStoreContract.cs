using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.Contract;

public sealed class FileSystemStoreContract : StoreContract
{
    readonly TemporaryDirectory root = new();
    protected override IArtifactStore Store { get; }

    public FileSystemStoreContract() => Store = new FileSystemStore(root.Path);

    public override void Dispose()
    {
        root.Dispose();
        base.Dispose();
    }
}
