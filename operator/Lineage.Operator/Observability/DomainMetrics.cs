using System.Collections.Concurrent;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Operator.Runtime;
using Prometheus;

namespace Lineage.Operator.Observability;

/// <summary>
/// What the lineages look like, for dashboards and alerts: Generations per phase, each lineage's champion
/// (score and generation number of its newest Promoted generation), each lineage's newest generations' scores and
/// judge pick accuracies, and each run's step, reward and KL. Series of deleted objects are removed.
/// </summary>
public sealed class DomainMetrics
{
    /// <summary>Generation scores kept per lineage: the newest this many (bounded cardinality).</summary>
    public const int ScoredGenerationsPerLineage = 10;

    readonly Gauge _generations, _championScore, _championNumber, _runStep, _runTotalSteps, _runReward, _runKl, _runInternalisation;
    readonly Gauge _lineageGenerations, _lineageScore, _lineageJudge;
    readonly ConcurrentDictionary<ObjectKey, string[]> _scoredBirths = new();
    readonly ConcurrentDictionary<ObjectKey, string[]> _judgedBirths = new();
    readonly ConcurrentDictionary<ObjectKey, string> _phases = new();
    readonly ConcurrentDictionary<(string Namespace, string Lineage), (int Number, double Score)> _champions = new();
    readonly Lock _gate = new();

    public DomainMetrics(CollectorRegistry? registry = null)
    {
        var factory = Metrics.WithCustomRegistry(registry ?? Metrics.DefaultRegistry);
        _generations = factory.CreateGauge("lineage_generations", "Generations by phase.", "namespace", "phase");
        _championScore = factory.CreateGauge("lineage_champion_score", "Score of the lineage's newest Promoted generation.", "namespace", "lineage");
        _championNumber = factory.CreateGauge("lineage_champion_generation", "Generation number of the lineage's newest Promoted generation.", "namespace", "lineage");
        _runStep = factory.CreateGauge("lineage_run_step", "Last completed optimizer step of a training run.", "namespace", "kind", "name");
        _runTotalSteps = factory.CreateGauge("lineage_run_total_steps", "Steps in the whole training run.", "namespace", "kind", "name");
        _runReward = factory.CreateGauge("lineage_run_reward_mean", "Latest mean reward of a training run.", "namespace", "kind", "name");
        _runKl = factory.CreateGauge("lineage_run_kl", "Latest KL divergence to the reference of a training run.", "namespace", "kind", "name");
        _lineageGenerations = factory.CreateGauge("lineage_lineage_generations", "Generations a Lineage has bred (Rejected and Failed ones included).", "namespace", "lineage");
        _lineageScore = factory.CreateGauge("lineage_lineage_generation_score",
            $"Held-out score of each of a Lineage's newest {ScoredGenerationsPerLineage} scored generations, by birth order; promoted is 1 for a Promoted generation, else 0.",
            "namespace", "lineage", "birth", "generation", "promoted");
        _lineageJudge = factory.CreateGauge("lineage_lineage_judge_pick_accuracy",
            $"GRPO steps with a checked judge, each of a Lineage's newest {ScoredGenerationsPerLineage}: the share of held-out problems whose best-of-N pick was right, " +
            "for picker judge (the judge the step was offered), judge_before_training (the same judge before it was fine-tuned on the verifier's labels) and random (the bar it had to clear); " +
            "used is 1 when the step trained with the judge, 0 when it fell back to the verifiable reward.",
            "namespace", "lineage", "birth", "generation", "picker", "used");
        _runInternalisation = factory.CreateGauge("lineage_run_internalisation",
            "Distillation: (student - teacher greedy) / (teacher with strategy - teacher greedy) on the held-out problems.", "namespace", "kind", "name");
    }

    public void ObserveGeneration(ObjectKey key, Generation generation)
    {
        var phase = generation.Status?.Phase ?? GenerationPhases.Pending;
        lock (_gate)
        {
            if (_phases.TryGetValue(key, out var old)) _generations.WithLabels(key.Namespace, old).Dec();
            _phases[key] = phase;
            _generations.WithLabels(key.Namespace, phase).Inc();
        }
        if (phase == GenerationPhases.Promoted && generation.Status is { Score: { } score } status)
        {
            var lineage = (key.Namespace, generation.Spec.Lineage);
            var number = status.GenerationNumber ?? 0;
            var champion = _champions.AddOrUpdate(lineage, (number, score), (_, current) => number >= current.Number ? (number, score) : current);
            _championScore.WithLabels(lineage.Namespace, lineage.Lineage).Set(champion.Score);
            _championNumber.WithLabels(lineage.Namespace, lineage.Lineage).Set(champion.Number);
        }
    }

    /// <summary>A Lineage's size and its newest scored generations (older series are removed, so each lineage has at most
    /// <see cref="ScoredGenerationsPerLineage"/>).</summary>
    public void ObserveLineage(ObjectKey key, LineageResource lineage)
    {
        var history = lineage.Status?.History ?? [];
        _lineageGenerations.WithLabels(key.Namespace, key.Name).Set(history.Count);
        var births = history.Select((entry, birth) => (Entry: entry, Birth: birth.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        var scores = births
            .Where(x => x.Entry.Score is not null && GenerationPhases.IsFinal(x.Entry.Result))
            .TakeLast(ScoredGenerationsPerLineage)
            .Select(x => (Labels: new[] { key.Namespace, key.Name, x.Birth, x.Entry.Name, x.Entry.Result == GenerationPhases.Promoted ? "1" : "0" },
                Value: x.Entry.Score!.Value))
            .ToList();
        var judged = births
            .Where(x => x.Entry.JudgePickAccuracy is not null)
            .TakeLast(ScoredGenerationsPerLineage)
            .SelectMany(x => JudgeSeries(key, x.Birth, x.Entry))
            .ToList();
        lock (_gate)
        {
            Replace(_lineageScore, _scoredBirths, key, scores);
            Replace(_lineageJudge, _judgedBirths, key, judged);
        }
    }

    static IEnumerable<(string[] Labels, double Value)> JudgeSeries(ObjectKey key, string birth, LineageHistoryEntry entry)
    {
        var used = entry.JudgeUsed == true ? "1" : "0";
        string[] Labels(string picker) => [key.Namespace, key.Name, birth, entry.Name, picker, used];
        yield return (Labels("judge"), entry.JudgePickAccuracy!.Value);
        if (entry.RandomPickAccuracy is { } random) yield return (Labels("random"), random);
        if (entry.JudgePickAccuracyBeforeTraining is { } before) yield return (Labels("judge_before_training"), before);
    }

    /// <summary>Sets a lineage's series of one gauge and removes the ones it had before that are not among them.</summary>
    static void Replace(Gauge gauge, ConcurrentDictionary<ObjectKey, string[]> kept, ObjectKey key, List<(string[] Labels, double Value)> series)
    {
        foreach (var (labels, value) in series) gauge.WithLabels(labels).Set(value);
        var keep = series.Select(s => string.Join('\0', s.Labels)).ToHashSet();
        if (kept.TryGetValue(key, out var previous))
            foreach (var old in previous.Where(p => !keep.Contains(p))) gauge.RemoveLabelled(old.Split('\0'));
        kept[key] = [.. keep];
    }

    public void ForgetLineage(ObjectKey key)
    {
        _lineageGenerations.RemoveLabelled(key.Namespace, key.Name);
        lock (_gate)
        {
            if (_scoredBirths.TryRemove(key, out var scored))
                foreach (var old in scored) _lineageScore.RemoveLabelled(old.Split('\0'));
            if (_judgedBirths.TryRemove(key, out var judged))
                foreach (var old in judged) _lineageJudge.RemoveLabelled(old.Split('\0'));
        }
    }

    public void ForgetGeneration(ObjectKey key)
    {
        lock (_gate)
        {
            if (_phases.TryRemove(key, out var old)) _generations.WithLabels(key.Namespace, old).Dec();
        }
    }

    public void ObserveRun(string kind, ObjectKey key, RunStatus? status)
    {
        string[] labels = [key.Namespace, kind, key.Name];
        if (status?.Step is { } step) _runStep.WithLabels(labels).Set(step);
        if (status?.TotalSteps is { } total) _runTotalSteps.WithLabels(labels).Set(total);
        if (status?.Metrics?.RewardMean is { } reward) _runReward.WithLabels(labels).Set(reward);
        if (status?.Metrics?.Kl is { } kl) _runKl.WithLabels(labels).Set(kl);
        if ((status as Distillation.DistillationStatus)?.Internalisation is { } internalisation) _runInternalisation.WithLabels(labels).Set(internalisation);
    }

    public void ForgetRun(string kind, ObjectKey key)
    {
        string[] labels = [key.Namespace, kind, key.Name];
        foreach (var gauge in new[] { _runStep, _runTotalSteps, _runReward, _runKl, _runInternalisation }) gauge.RemoveLabelled(labels);
    }
}
