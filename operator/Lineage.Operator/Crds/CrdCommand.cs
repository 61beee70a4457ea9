using System.CommandLine;

namespace Lineage.Operator.Crds;

/// <summary><c>lineage-operator crds [--output DIR]</c>: writes the generated CRDs (default ./crds).</summary>
public static class CrdCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o") { Description = "Folder to write the CRDs to.", DefaultValueFactory = _ => "crds" };
        var command = new Command("crds", "Write the CRDs generated from the API types.") { output };
        command.SetAction(parse => Write(parse.GetValue(output)!));
        return command;
    }

    public static int Write(string output)
    {
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
