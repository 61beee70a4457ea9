namespace Lineage.LocalNode;

/// <summary>
/// An exclusive lock on a node's data directory (an advisory lock on <c>node.lock</c>, released by the kernel when
/// the process dies), so two nodes never share pods' records and kill each other's containers.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    readonly FileStream file;

    DataDirectoryLock(FileStream file) => this.file = file;

    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "node.lock");
        try
        {
            var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            file.SetLength(0);
            using (var writer = new StreamWriter(file, leaveOpen: true)) writer.Write(Environment.ProcessId);
            file.Flush();
            return new DataDirectoryLock(file);
        }
        catch (IOException e)
        {
            throw new InvalidOperationException($"the data directory {dataDirectory} is in use by another local node ({path} is locked)", e);
        }
    }

    public void Dispose() => file.Dispose();
}
