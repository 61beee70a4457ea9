using Microsoft.Data.Sqlite;

namespace Lineage.EmbeddedApiServer.Persistence;

/// <summary>
/// The server's state in one SQLite file, shaped like k3s's kine: a log table with one row per change keyed by
/// revision (= resourceVersion), from which the current objects and the recent watch history are both read; a
/// compaction deletes rows superseded at or before a collection's compaction point. Each write of the API
/// server is one transaction, committed before the client gets its answer (WAL, synchronous=NORMAL: a process
/// crash loses nothing; a power cut may lose the last transactions, never corrupt the file). Not thread-safe:
/// the object store's lock serialises every call.
/// </summary>
internal sealed class SqliteLog : IDisposable
{
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly SqliteCommand saveRevision;

    private SqliteLog(SqliteConnection connection)
    {
        this.connection = connection;
        insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO log(revision, collection, key, deleted, prev_revision, value) VALUES ($revision, $collection, $key, $deleted, $prev, $value)";
        foreach (var name in new[] { "$revision", "$collection", "$key", "$deleted", "$prev", "$value" }) insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        saveRevision = connection.CreateCommand();
        saveRevision.CommandText = "INSERT INTO server(key, value) VALUES ('revision', $value) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
        saveRevision.Parameters.Add(new SqliteParameter { ParameterName = "$value" });
    }

    public static SqliteLog Open(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) is { } directory) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = full, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS log (
                    revision INTEGER PRIMARY KEY,
                    collection TEXT NOT NULL,
                    key TEXT NOT NULL,
                    deleted INTEGER NOT NULL,
                    prev_revision INTEGER NOT NULL,
                    value BLOB NOT NULL);
                CREATE INDEX IF NOT EXISTS log_collection ON log(collection, revision);
                CREATE TABLE IF NOT EXISTS compaction (collection TEXT PRIMARY KEY, revision INTEGER NOT NULL);
                CREATE TABLE IF NOT EXISTS server (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
                """);
        }
        catch (SqliteException error)
        {
            connection.Dispose();
            throw new InvalidDataException($"{full}: not a usable API server data file: {error.Message}", error);
        }
        return new SqliteLog(connection);
    }

    public LoadedState Load()
    {
        var entries = new List<LogEntry>();
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT revision, collection, key, deleted, prev_revision, value FROM log ORDER BY revision";
            using var reader = read.ExecuteReader();
            while (reader.Read())
                entries.Add(new LogEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3) != 0, reader.GetInt64(4), (byte[])reader.GetValue(5)));
        }
        var compacted = CompactionPoints();
        long revision;
        using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT MAX(COALESCE((SELECT value FROM server WHERE key = 'revision'), 0), COALESCE((SELECT MAX(revision) FROM log), 0))";
            revision = (long)read.ExecuteScalar()!;
        }
        return new LoadedState(entries, revision, compacted);
    }

    /// <summary>Writes the changes of one API request, and the revision counter, in one transaction.</summary>
    public void Commit(IReadOnlyList<LogEntry> entries, long revision)
    {
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        saveRevision.Transaction = transaction;
        foreach (var entry in entries)
        {
            insert.Parameters[0].Value = entry.Revision;
            insert.Parameters[1].Value = entry.Collection;
            insert.Parameters[2].Value = entry.Key;
            insert.Parameters[3].Value = entry.Deleted ? 1 : 0;
            insert.Parameters[4].Value = entry.PreviousRevision;
            insert.Parameters[5].Value = entry.Value;
            insert.ExecuteNonQuery();
        }
        saveRevision.Parameters[0].Value = revision;
        saveRevision.ExecuteNonQuery();
        transaction.Commit();
    }

    /// <summary>
    /// Forgets history at or before each collection's point: rows replaced by a later row at or before it, and
    /// deletions at or before it. What is current, and every change after the point, stays.
    /// </summary>
    public void Compact(IReadOnlyDictionary<string, long> points)
    {
        var compacted = CompactionPoints();
        using var transaction = connection.BeginTransaction();
        foreach (var (collection, point) in points)
        {
            using var superseded = connection.CreateCommand();
            superseded.Transaction = transaction;
            superseded.CommandText = """
                DELETE FROM log WHERE revision IN
                    (SELECT prev_revision FROM log WHERE collection = $collection AND revision > $from AND revision <= $point AND prev_revision > 0);
                DELETE FROM log WHERE collection = $collection AND revision > $from AND revision <= $point AND deleted = 1;
                INSERT INTO compaction(collection, revision) VALUES ($collection, $point)
                    ON CONFLICT(collection) DO UPDATE SET revision = MAX(revision, excluded.revision);
                """;
            superseded.Parameters.AddWithValue("$collection", collection);
            superseded.Parameters.AddWithValue("$point", point);
            // Rows up to the previous point are already compacted.
            superseded.Parameters.AddWithValue("$from", compacted.GetValueOrDefault(collection));
            superseded.ExecuteNonQuery();
        }
        transaction.Commit();
    }

    private Dictionary<string, long> CompactionPoints()
    {
        var compacted = new Dictionary<string, long>(StringComparer.Ordinal);
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT collection, revision FROM compaction";
        using var reader = read.ExecuteReader();
        while (reader.Read()) compacted[reader.GetString(0)] = reader.GetInt64(1);
        return compacted;
    }

    public void Dispose()
    {
        insert.Dispose();
        saveRevision.Dispose();
        connection.Dispose();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
