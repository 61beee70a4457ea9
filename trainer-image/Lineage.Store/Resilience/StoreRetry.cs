using System.Diagnostics;
using Polly;
using Polly.Retry;

namespace Lineage.Store.Resilience;

/// <summary>Runs one store operation with retries for transient failures, within a bounded total time.</summary>
public sealed class StoreRetry
{
    static readonly ResiliencePropertyKey<long> FirstFailure = new("lineage.firstFailure");
    static readonly ResiliencePropertyKey<CancellationToken> Caller = new("lineage.caller");
    readonly ResiliencePipeline pipeline;
    readonly RetryBudget budget;

    public StoreRetry(RetryBudget? budget = null)
    {
        this.budget = budget ?? RetryBudget.Default;
        pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                && TransientFailure.Is(e, args.Context.Properties.GetValue(Caller, default))
                && WithinBudget(args.Context)),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = this.budget.FirstDelay,
            MaxDelay = this.budget.MaxDelay,
            MaxRetryAttempts = int.MaxValue,
        }).Build();
    }

    public static StoreRetry Default { get; } = new();

    /// <summary>Runs <paramref name="operation"/>; a transient failure that outlasts the budget becomes an <see cref="ArtifactStoreException"/> naming <paramref name="what"/>.</summary>
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> operation, string what, CancellationToken ct)
    {
        var context = ResilienceContextPool.Shared.Get(ct);
        context.Properties.Set(Caller, ct);
        int attempts = 0;
        try
        {
            return await pipeline.ExecuteAsync(async (ctx, op) =>
            {
                attempts++;
                return await op(ctx.CancellationToken).ConfigureAwait(false);
            }, context, operation).ConfigureAwait(false);
        }
        catch (Exception e) when (TransientFailure.Is(e, ct))
        {
            throw new ArtifactStoreException(
                $"{what}: still failing after {attempts} attempts (retry budget {budget.Total.TotalSeconds:0} s) ({e.GetType().Name}: {e.Message}); check that the store endpoint is up and reachable", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    // The budget counts from the first failure, so a long transfer that breaks late still gets its retries.
    bool WithinBudget(ResilienceContext context)
    {
        if (!context.Properties.TryGetValue(FirstFailure, out long first))
            context.Properties.Set(FirstFailure, first = Stopwatch.GetTimestamp());
        return Stopwatch.GetElapsedTime(first) < budget.Total;
    }

    public Task ExecuteAsync(Func<CancellationToken, Task> operation, string what, CancellationToken ct) =>
        ExecuteAsync<bool>(async token => { await operation(token).ConfigureAwait(false); return true; }, what, ct);
}
