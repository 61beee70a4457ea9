namespace Lineage.Operator.Crds;

/// <summary><c>lineage-operator crds [--output DIR]</c>: writes the generated CRDs (default ./crds).</summary>
public static class CrdCommand
{
    public static int Run(IReadOnlyList<string> args)
    {
        var output = "crds";
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i] is "--output" or "-o" && i + 1 < args.Count) output = args[++i];
            else
            {
                Console.Error.WriteLine($"crds: unknown argument '{args[i]}'. Usage: crds [--output DIR]");
                return 2;
            }
        }
        Directory.CreateDirectory(output);
        foreach (var (fileName, yaml) in CrdGenerator.Generate())
        {
            var path = Path.Combine(output, fileName);
            File.WriteAllText(path, yaml);
            Console.WriteLine($"wrote {path}");
        }
        return 0;
    }
}
