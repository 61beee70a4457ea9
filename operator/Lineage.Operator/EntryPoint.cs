namespace Lineage.Operator;

/// <summary>Project commands that run instead of the operator host (kept out of Program.cs on purpose).</summary>
public static class EntryPoint
{
    /// <summary>The exit code of a project command, or null when <paramref name="args"/> asks for the operator itself.</summary>
    public static int? RunCommand(string[] args) => args switch
    {
        ["crds", .. var rest] => Crds.CrdCommand.Run(rest),
        _ => null,
    };
}
