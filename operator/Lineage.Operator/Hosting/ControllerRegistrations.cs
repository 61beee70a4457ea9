using Lineage.Operator.Runtime;

namespace Lineage.Operator.Hosting;

/// <summary>
/// The one place where the operator's controllers are declared on the host, e.g.
/// <c>host.For&lt;Generation&gt;(reconciler).Owns&lt;GrpoRun&gt;().Owns&lt;V1Job&gt;()</c>.
/// </summary>
public static class ControllerRegistrations
{
    public static void Register(ControllerHost host, OperatorOptions options)
    {
        Controllers.LineageControllers.Register(host, host.Metrics.Registry, defaultStorage: options.DefaultStorage, policy: options.Tenants);
    }
}
