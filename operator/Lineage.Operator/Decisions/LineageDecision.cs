using System.Globalization;
using Lineage.Contracts.Config;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Rendering;
using Lineage.Operator.Runtime;

namespace Lineage.Operator.Decisions;

/// <summary>
/// A Lineage's life as a pure function. While a generation is in flight it waits; when the newest is final it
/// breeds the next from the champion (the newest Promoted generation) with the next plan step — a Rejected or
/// Failed generation does not stop it — until maxGenerations, the stopping rule, or a base that was not promoted.
/// Stopping is recomputed from the spec each time, so raising maxGenerations or patience lets it grow again.
/// </summary>
public static class LineageDecision
{
    public const string BaseStep = "base";

    public static LineagePlan Decide(LineageObservation o)
    {
        var lineage = o.Lineage;
        var spec = lineage.Spec;
        var old = lineage.Status ?? new LineageResource.LineageStatus();
        var bred = o.Generations.OrderBy(Birth).ToList();
        var champion = bred.LastOrDefault(g => g.Status?.Phase == GenerationPhases.Promoted);
        var inFlight = bred.FirstOrDefault(g => !GenerationPhases.IsFinal(g.Status?.Phase));
        var status = old with
        {
            ObservedGeneration = lineage.Metadata.Generation,
            Generations = bred.Count,
            Champion = champion is null ? null : ChampionOf(champion),
            History = bred.Select(HistoryEntry).ToList(),
        };
        var c = new ConditionBuilder(old.Conditions, lineage.Metadata.Generation, o.Now);
        Generation? breed = null;
        string phase;
        string reason, message;

        if (inFlight is not null)
            (phase, reason, message) = (LineagePhases.Growing, Reasons.GenerationInFlight,
                $"{inFlight.Metadata.Name} ({StepOf(inFlight)}) is {inFlight.Status?.Phase ?? GenerationPhases.Pending}");
        else if (bred.Count > 0 && champion is null)
            (phase, reason, message) = (LineagePhases.Failed, Reasons.BaseNotPromoted,
                $"generation 0 ({bred[0].Metadata.Name}) ended {bred[0].Status?.Phase}: there is no champion to breed from");
        else if (bred.Count >= spec.MaxGenerations)
            (phase, reason, message) = (LineagePhases.Complete, Reasons.MaxGenerationsReached,
                $"bred {bred.Count} of maxGenerations {spec.MaxGenerations}; champion {champion!.Metadata.Name} scores {Show(champion.Status?.Score)}");
        else if (Plateau(bred, spec.Stop) is { } plateau)
            (phase, reason, message) = (LineagePhases.Plateaued, Reasons.NoImprovement, plateau);
        else if ((spec.Template.Storage ?? o.DefaultStorage) is null)
            (phase, reason, message) = (LineagePhases.Failed, Reasons.NoStorage,
                "spec.template.storage is not set and the operator has no default storage (--default-storage)");
        else if (spec.Suspend)
            (phase, reason, message) = (LineagePhases.Suspended, Reasons.SuspendedBySpec, "spec.suspend is true: no new generation is bred");
        else
        {
            var step = bred.Count == 0 ? null : spec.Plan[(bred.Count - 1) % spec.Plan.Count];
            breed = Child(lineage, bred.Count, step, champion, (spec.Template.Storage ?? o.DefaultStorage)!);
            (phase, reason, message) = (LineagePhases.Growing, Reasons.Breeding,
                champion is null ? $"breeding generation 0 ({breed.Metadata.Name}) from the base"
                    : $"breeding {breed.Metadata.Name} ({step!.Name}) from champion {champion.Metadata.Name} (score {Show(champion.Status?.Score)})");
        }

        c.Set(ConditionTypes.Growing, phase == LineagePhases.Growing, reason, phase == LineagePhases.Growing ? message : $"not growing: {message}");
        c.Set(ConditionTypes.Suspended, spec.Suspend, spec.Suspend ? Reasons.SuspendedBySpec : Reasons.Breeding,
            spec.Suspend ? "spec.suspend is true: no new generation is bred" : "spec.suspend is false");
        c.Set(ConditionTypes.Plateaued, phase == LineagePhases.Plateaued, phase == LineagePhases.Plateaued ? reason : Reasons.Breeding,
            phase == LineagePhases.Plateaued ? message : "the stopping rule has not fired");
        c.Set(ConditionTypes.Complete, phase == LineagePhases.Complete, phase == LineagePhases.Complete ? reason : Reasons.Breeding,
            phase == LineagePhases.Complete ? message : $"{bred.Count} of {spec.MaxGenerations} generations bred");
        if (phase == LineagePhases.Failed) c.Set(ConditionTypes.Failed, true, reason, message);
        status = status with { Phase = phase, Conditions = c.Conditions };

        // A birth (phase Growing) and a phase change (never to Growing) do not meet in one pass: one carrier at most.
        var born = breed is null ? null : new EventIntent(EventIntent.Normal, Reasons.Born, message);
        var change = PhaseChange(old, status, reason, message);
        var (told, own) = StatusEvents.Fold(born ?? change, Verdicts(old, status));
        List<EventIntent> events = [.. own];
        if (change is not null) events.Add(StatusEvents.Telling(change, told));
        return new LineagePlan(status, breed, born, events) { BornTells = born is null ? [] : told };
    }

    /// <summary>The birth order of a Generation the lineage bred (its annotation, else its name's suffix).</summary>
    public static int Birth(Generation g)
    {
        if (g.Metadata.Annotations?.TryGetValue(WellKnown.BirthAnnotation, out var text) == true
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var birth)) return birth;
        var dash = g.Metadata.Name.LastIndexOf('-');
        return dash >= 0 && int.TryParse(g.Metadata.Name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
    }

    /// <summary>The name of the generation born <paramref name="birth"/>-th: &lt;lineage&gt;-&lt;birth&gt;, stable, so a repeated breed is one create.</summary>
    public static string ChildName(LineageResource lineage, int birth) => $"{lineage.Metadata.Name}-{birth}";

    /// <summary>
    /// Why the lineage stopped improving, or null: the generations bred after its last improving promotion (one that
    /// raised the champion's score by at least minImprovement; generation 0's promotion is one) reach patience.
    /// </summary>
    public static string? Plateau(IReadOnlyList<Generation> bred, StopRule rule)
    {
        if (rule.Patience <= 0) return null;
        int lastImprovement = -1;
        double? best = null;
        for (int i = 0; i < bred.Count; i++)
        {
            if (bred[i].Status is not { Phase: GenerationPhases.Promoted, Score: { } score }) continue;
            if (best is null || score >= best + rule.MinImprovement - 1e-12) lastImprovement = i;
            best = best is null ? score : Math.Max(best.Value, score);
        }
        if (lastImprovement < 0) return null;
        int since = bred.Count - 1 - lastImprovement;
        return since >= rule.Patience
            ? $"{since} generation(s) since {bred[lastImprovement].Metadata.Name} without an improvement of {rule.MinImprovement:0.###} (patience {rule.Patience})"
            : null;
    }

    internal static Generation Child(LineageResource lineage, int birth, PlanStep? step, Generation? champion, StorageSpec storage)
    {
        var spec = lineage.Spec;
        var template = spec.Template;
        return new Generation
        {
            Metadata = new k8s.Models.V1ObjectMeta
            {
                Name = ChildName(lineage, birth),
                NamespaceProperty = lineage.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string>
                {
                    [WellKnown.LineageLabel] = lineage.Metadata.Name,
                    [WellKnown.StepLabel] = step?.Name ?? BaseStep,
                    [WellKnown.ManagedBy] = WellKnown.ManagerName,
                },
                Annotations = new Dictionary<string, string> { [WellKnown.BirthAnnotation] = birth.ToString(CultureInfo.InvariantCulture) },
                OwnerReferences = [OwnerMapping.ControllerReference(lineage)],
            },
            Spec = new Generation.GenerationSpec
            {
                Lineage = lineage.Metadata.Name,
                Parent = champion?.Metadata.Name,
                Base = champion is null ? spec.Base.Uri : null,
                Training = step is null ? spec.Base.Training : JudgedByChampion(step.ToTraining(), champion),
                Evaluation = template.Evaluation,
                Promotion = template.Promotion with
                {
                    Mode = spec.Approval == LineageResource.LineageSpec.ManualApproval ? PromotionSpec.Manual : PromotionSpec.Auto,
                },
                Resources = template.Resources,
                Storage = storage,
            },
        };
    }

    /// <summary>
    /// A GRPO step's <c>judge</c> terms whose model is <c>champion</c> get the champion's model URI — each champion judges the
    /// generation bred from it — and a judge check (defaults unless the step sets one), so a judge that picks no better
    /// than random is not used. Without a champion model the term is left as written, and the Generation's config
    /// validation names it.
    /// </summary>
    public static TrainingSpec JudgedByChampion(TrainingSpec training, Generation? champion)
    {
        if (training.Grpo is not { } grpo || champion?.Status?.Checkpoint?.Uri is not { } model
            || !grpo.Rewards.Any(r => r.Name == "judge" && r.Model == RewardSpec.ChampionModel)) return training;
        return training with
        {
            Grpo = grpo with
            {
                Rewards = grpo.Rewards.Select(r => r.Name == "judge" && r.Model == RewardSpec.ChampionModel ? r with { Model = model } : r).ToList(),
                JudgeCheck = grpo.JudgeCheck ?? new JudgeCheckConfig(),
            },
        };
    }

    static Champion ChampionOf(Generation g) => new()
    {
        Name = g.Metadata.Name,
        GenerationNumber = g.Status?.GenerationNumber ?? 0,
        Score = g.Status?.Score,
        ModelUri = g.Status?.Checkpoint?.Uri,
    };

    static LineageHistoryEntry HistoryEntry(Generation g)
    {
        var status = g.Status;
        var final = GenerationPhases.IsFinal(status?.Phase);
        var verdict = status?.Conditions.FirstOrDefault(c => c.Type == (status.Phase == GenerationPhases.Failed ? ConditionTypes.Failed : ConditionTypes.Promoted));
        return new LineageHistoryEntry
        {
            Name = g.Metadata.Name,
            GenerationNumber = status?.GenerationNumber,
            Step = StepOf(g),
            Parent = g.Spec.Parent,
            Score = status?.Score,
            ParentScore = status?.ParentScore,
            Internalisation = status?.Internalisation,
            JudgePickAccuracy = status?.Judge?.PickAccuracy,
            RandomPickAccuracy = status?.Judge?.RandomAccuracy,
            JudgePickAccuracyBeforeTraining = status?.Judge?.PickAccuracyBeforeTraining,
            JudgeUsed = status?.Judge?.Used,
            Result = status?.Phase ?? GenerationPhases.Pending,
            Reason = final ? verdict?.Reason : null,
            Message = final ? verdict?.Message : null,
            StartedAt = g.Metadata.CreationTimestamp,
            FinishedAt = final ? status?.PromotedAt ?? verdict?.LastTransitionTime : null,
        };
    }

    static string StepOf(Generation g) =>
        g.Metadata.Labels is { } labels && labels.TryGetValue(WellKnown.StepLabel, out var step) ? step : g.Spec.Parent is null ? BaseStep : "unknown";

    /// <summary>
    /// The verdict of each generation that reached a final phase since the last status: a Warning for a failure or a
    /// rejection someone should look at (such as suspected reward hacking), Normal for a promotion or a plain rejection.
    /// A Normal verdict rides in the pass's carrier Event (the Born of the generation bred because of it, or the phase
    /// change) when there is one; see <see cref="StatusEvents.Fold"/>.
    /// </summary>
    static List<EventIntent> Verdicts(LineageResource.LineageStatus old, LineageResource.LineageStatus now)
    {
        var verdicts = new List<EventIntent>();
        foreach (var entry in now.History)
        {
            var before = old.History.FirstOrDefault(h => h.Name == entry.Name);
            if (!GenerationPhases.IsFinal(entry.Result) || before?.Result == entry.Result) continue;
            var text = $"{entry.Name} ({entry.Step}) {entry.Result}: score {Show(entry.Score)}, parent {Show(entry.ParentScore)}"
                + (entry.Message is null ? "" : $" — {entry.Message}");
            verdicts.Add(entry.Result switch
            {
                GenerationPhases.Promoted => new EventIntent(EventIntent.Normal, Reasons.GenerationPromoted, text),
                GenerationPhases.Rejected => new EventIntent(StatusEvents.IsWarning(entry.Reason) ? EventIntent.Warning : EventIntent.Normal, Reasons.GenerationRejected, text),
                _ => new EventIntent(EventIntent.Warning, Reasons.GenerationFailed, text),
            });
        }
        return verdicts;
    }

    /// <summary>The Event of a phase change to a phase other than Growing (a Warning when it is Failed), or null.</summary>
    static EventIntent? PhaseChange(LineageResource.LineageStatus old, LineageResource.LineageStatus now, string reason, string message) =>
        old.Phase != now.Phase && now.Phase is not LineagePhases.Growing
            ? new EventIntent(now.Phase == LineagePhases.Failed ? EventIntent.Warning : EventIntent.Normal, reason, $"{old.Phase ?? "New"} → {now.Phase}: {message}")
            : null;

    static string Show(double? score) => score is { } s ? PromotionGate.F(s) : "none";
}
