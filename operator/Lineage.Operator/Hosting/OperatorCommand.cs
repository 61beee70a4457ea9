using System.CommandLine;

namespace Lineage.Operator.Hosting;

/// <summary>
/// The <c>lineage-operator</c> command line: with no subcommand it runs the operator against a cluster; <c>crds</c> writes
/// the generated CRDs; <c>local</c> runs an embedded API server, the operator and a local node in one process.
/// </summary>
public static class OperatorCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("lineage-operator: runs LLM post-training lineages (Lineage, Generation, GrpoRun, Distillation) as Kubernetes resources.");
        var flags = OperatorFlags.AddTo(root);
        root.SetAction(async (parse, ct) =>
        {
            OperatorOptions options;
            try { options = flags.Read(parse, Environment.GetEnvironmentVariable, OperatorOptions.PodNamespace()).ForCluster(); }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"lineage-operator: {e.Message}");
                return 2;
            }
            return await OperatorHost.RunAsync(options, ct).ConfigureAwait(false);
        });
        root.Subcommands.Add(Crds.CrdCommand.Create());
        root.Subcommands.Add(Local.LocalCommand.Create());
        return root;
    }
}
