using Lineage.Store.Tests.Support;

namespace Lineage.Store.Tests.Contract;

/// <summary>The contract against a real S3 server; every test gets its own prefix in the shared bucket.</summary>
[Collection(S3rverCollection.Name)]
public sealed class S3StoreContract(S3rverServer server) : StoreContract
{
    readonly Lineage.Store.S3.S3Store store = server.Store($"contract-{Guid.NewGuid():N}");
    protected override IArtifactStore Store => store;

    public override void Dispose()
    {
        store.Dispose();
        base.Dispose();
    }
}
