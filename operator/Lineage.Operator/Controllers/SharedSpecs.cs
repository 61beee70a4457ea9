using System.Collections.Concurrent;
using System.Text.Json;
using Lineage.Operator.Api.V1Alpha1;

namespace Lineage.Operator.Controllers;

/// <summary>
/// Equal parts of specs held once in the caches. Generations bred from one Lineage template, and the runs made from
/// them, carry the same evaluation, training template, datasets, rewards, optimiser, sampling, resources and storage
/// parts; each cached object had its own copy of each (at 1,000 × 10 about a fifth of the operator's live heap). As the
/// informers receive an object, each part is replaced by an equal one already held, if any (equal: the same JSON).
/// Safe because cached objects are never modified: a controller that writes one back takes a
/// <see cref="ClusterCache.Writable{T}"/> copy, and the parts are records with init-only fields. At most
/// <see cref="MaxParts"/> distinct parts are kept (templates are few); past that, new parts are simply not shared.
/// Finding the equal part costs a JSON rendering of each part (~36 µs a Generation, five times its decoding), so a new
/// version of an object with the same uid and <c>metadata.generation</c> as the cached one (a status change, most
/// events) takes the cached one's spec as it is: the same key <see cref="SpecMemo{T}"/> trusts to mean the same spec.
/// </summary>
public sealed class SharedSpecs
{
    public const int MaxParts = 4096;

    readonly ConcurrentDictionary<(Type Type, string Json), object> parts = new();

    /// <summary>The held part equal to <paramref name="part"/>, else <paramref name="part"/> (held from now on, room permitting).</summary>
    public T? Share<T>(T? part) where T : class
    {
        if (part is null) return null;
        var key = (part.GetType(), JsonSerializer.Serialize(part, part.GetType()));
        if (parts.TryGetValue(key, out var held)) return (T)held;
        return parts.Count >= MaxParts ? part : (T)parts.GetOrAdd(key, part);
    }

    /// <summary>Distinct parts held.</summary>
    public int Count => parts.Count;

    /// <summary>Whether <paramref name="next"/> is <paramref name="cached"/> with the same spec: same object, same <c>metadata.generation</c>.</summary>
    static bool SameSpec(k8s.Models.V1ObjectMeta next, k8s.Models.V1ObjectMeta? cached) =>
        cached is not null && next.Uid is not null && next.Uid == cached.Uid && next.Generation is not null && next.Generation == cached.Generation;

    public void Generation(Generation generation, Generation? cached)
    {
        if (SameSpec(generation.Metadata, cached?.Metadata))
        {
            generation.Spec = cached!.Spec;
            return;
        }
        var spec = generation.Spec;
        generation.Spec = spec with
        {
            Training = Share(spec.Training is { } training
                ? training with { Grpo = training.Grpo is { } grpo ? Parts(grpo) : null, Distillation = training.Distillation is { } d ? Parts(d) : null }
                : null),
            Evaluation = Share(spec.Evaluation)!,
            Promotion = Share(spec.Promotion)!,
            Resources = Share(spec.Resources)!,
            Storage = Share(spec.Storage)!,
        };
    }

    public void GrpoRun(GrpoRun run, GrpoRun? cached) =>
        run.Spec = SameSpec(run.Metadata, cached?.Metadata) ? cached!.Spec
            : (GrpoRun.GrpoRunSpec)Parts(run.Spec) with { Resources = Share(run.Spec.Resources)!, Storage = Share(run.Spec.Storage)! };

    public void Distillation(Distillation run, Distillation? cached) =>
        run.Spec = SameSpec(run.Metadata, cached?.Metadata) ? cached!.Spec
            : (Distillation.DistillationSpec)Parts(run.Spec) with { Resources = Share(run.Spec.Resources)!, Storage = Share(run.Spec.Storage)! };

    /// <summary>A GRPO template (a Generation's, or the one a run extends) with its parts shared.</summary>
    GrpoTemplate Parts(GrpoTemplate template) => template with
    {
        Dataset = Share(template.Dataset)!,
        Eval = Share(template.Eval),
        Rewards = Share(template.Rewards)!,
        JudgeCheck = Share(template.JudgeCheck),
        Optim = Share(template.Optim)!,
        Sampling = Share(template.Sampling)!,
    };

    /// <summary>A distillation template (a Generation's, or the one a run extends) with its parts shared.</summary>
    DistillationTemplate Parts(DistillationTemplate template) => template with
    {
        Demonstrations = Share(template.Demonstrations),
        Init = Share(template.Init),
        Sampling = Share(template.Sampling)!,
        Ranker = Share(template.Ranker),
        Prompts = Share(template.Prompts)!,
        Eval = Share(template.Eval),
        Optim = Share(template.Optim)!,
    };
}
