using System.Net;
using k8s.Autorest;

namespace Lineage.Operator.Controllers;

/// <summary>Expected API answers that are not errors for an idempotent apply.</summary>
public static class ApiConflicts
{
    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    /// <summary>Creates <paramref name="create"/>; an AlreadyExists (409) means another reconcile won, which is fine.</summary>
    public static async Task CreateIfAbsentAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
        }
        catch (Exception e) when (IsConflict(e))
        {
        }
    }
}
