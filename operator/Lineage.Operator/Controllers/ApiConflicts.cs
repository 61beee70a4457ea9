using System.Net;
using k8s.Autorest;

namespace Lineage.Operator.Controllers;

/// <summary>Expected API answers that are not errors for an idempotent apply.</summary>
public static class ApiConflicts
{
    public static bool IsConflict(Exception e) => e is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    /// <summary>
    /// Creates <paramref name="create"/>; an AlreadyExists (409) means another reconcile won, which is fine. Any other
    /// 409 (a Conflict) is thrown: the object may not exist, so the reconcile must be retried, not taken as done (the
    /// chaos benchmark found a Lineage left waiting for a Generation that a 409 Conflict had kept from being created).
    /// </summary>
    /// <returns>True when this call created it.</returns>
    public static async Task<bool> CreateIfAbsentAsync(Func<Task> create)
    {
        try
        {
            await create().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (Runtime.ApiErrors.IsAlreadyExists(e))
        {
            return false;
        }
    }
}
