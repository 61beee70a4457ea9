using Lineage.Contracts.Store;
using Lineage.Store;

namespace Lineage.Trainer.Runs;

/// <summary>Writes eval/result.json to a local path or a store key (one object write: readers see all of it or nothing).</summary>
public static class ResultFile
{
    public static void Write(string location, EvalResult result, CancellationToken ct = default)
    {
        var where = ArtifactLocation.Parse(location);
        if (!where.IsLocal)
        {
            where.Store!.WriteJsonAsync(where.Key, result, ct).GetAwaiter().GetResult();
            return;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(where.LocalPath!)!);
        string temp = where.LocalPath + ".tmp";
        File.WriteAllText(temp, ContractJson.Serialize(result));
        File.Move(temp, where.LocalPath!, overwrite: true);
    }
}
