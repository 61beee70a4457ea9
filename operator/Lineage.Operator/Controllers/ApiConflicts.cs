using System.Net;
using k8s.Autorest;

namespace Lineage.Operator.Controllers;

/// <summary>Expected API answers that are not errors for an idempotent apply.</summary>
public static class ApiConflicts
{
    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    /// <summary>Creates <paramref name="create"/>; an AlreadyExists (409) means another reconcile won, which is fine.</summary>
    /// <returns>True when this call created it.</returns>
    public static async Task<bool> CreateIfAbsentAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (IsConflict(e))
        {
            return false;
        }
    }
}
