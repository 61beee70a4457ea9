using System.Text.RegularExpressions;
using Lineage.Contracts.Store;
using Lineage.EmbeddedApiServer;
using Lineage.Operator.Api.V1Alpha1;
using Lineage.Store;

namespace Lineage.Operator.Bench;

/// <summary>One invariant of the chaos benchmark: what it says, how many cases were checked, which broke it.</summary>
public sealed record InvariantResult(string Name, int Checked, IReadOnlyList<string> Violations)
{
    public bool Held => Violations.Count == 0;
}

/// <summary>
/// The invariants the chaos benchmark checks after its run, from the API server's request log (every start of it,
/// with each replica's identity in its User-Agent), the stored objects and the artifact store.
/// </summary>
public static partial class ChaosInvariants
{
    /// <summary>Kinds the operator creates one of per Generation (Jobs by name; a GrpoRun or Distillation per trained Generation).</summary>
    static readonly string[] OncePerGeneration = ["jobs", "grporuns", "distillations"];

    /// <summary>Every Generation reached the phase its plan says, and every Lineage is Complete with the planned history and champion.</summary>
    public static InvariantResult PlannedPhases(BenchScenario scenario, IReadOnlyList<Generation> generations, IReadOnlyList<LineageResource> lineages)
    {
        var byName = generations.ToDictionary(g => g.Metadata.Name);
        var lineageByName = lineages.ToDictionary(l => l.Metadata.Name);
        var violations = new List<string>();
        foreach (var p in scenario.Generations)
            if (!p.IsSettled(byName.GetValueOrDefault(p.Name)?.Status))
                violations.Add($"Generation {p.Name}: {byName.GetValueOrDefault(p.Name)?.Status?.Phase ?? "absent"}, planned {p.ExpectedPhase}");
        foreach (var p in scenario.Lineages)
            if (!p.IsSettled(lineageByName.GetValueOrDefault(p.Name)?.Status))
                violations.Add($"Lineage {p.Name}: {lineageByName.GetValueOrDefault(p.Name)?.Status?.Phase ?? "absent"}, planned Complete");
        return new("every Generation reached its planned phase, every Lineage Complete as planned", scenario.Generations.Count + scenario.Lineages.Count, violations);
    }

    /// <summary>At most one successful create of each Job, GrpoRun and Distillation name (each is named for its Generation).</summary>
    public static InvariantResult CreatedOnce(IReadOnlyList<RequestRecord> requests, out int alreadyExists)
    {
        var creates = requests.Where(r => r.Client == CostTable.OperatorClient && r.Verb == "create" && OncePerGeneration.Contains(r.Resource)).ToList();
        alreadyExists = creates.Count(r => r.StatusCode == 409 && r.Fault is null);
        var ok = creates.Where(r => r.Succeeded).GroupBy(r => $"{r.Resource}/{r.Name}").ToList();
        var violations = ok.Where(g => g.Count() > 1)
            .Select(g => $"{g.Key} created {g.Count()} times, by {string.Join(", ", g.Select(r => IdentityOf(r) ?? "?"))}").ToList();
        return new("no Job, GrpoRun or Distillation created twice (successful creates per name)", ok.Count, violations);
    }

    /// <summary>Every Job the plan needs exists once in the end: a training Job per trained Generation, an evaluation Job per Generation.</summary>
    public static InvariantResult JobsAsPlanned(BenchScenario scenario, IReadOnlyCollection<string> jobNames)
    {
        var expected = scenario.Generations.SelectMany(p => p.Trainer is null
            ? [Rendering.ChildNames.EvaluationJob(p.Name)]
            : new[] { Rendering.ChildNames.TrainingJob(p.Name), Rendering.ChildNames.EvaluationJob(p.Name) }).ToHashSet();
        var violations = expected.Where(n => !jobNames.Contains(n)).Select(n => $"Job {n} missing")
            .Concat(jobNames.Where(n => !expected.Contains(n)).Select(n => $"Job {n} not in the plan")).ToList();
        return new("the stored Jobs are exactly the planned ones", expected.Count, violations);
    }

    /// <summary>
    /// Every promoted Generation has an eval/result.json for its own model: the result names the model the Generation's
    /// status.checkpoint gives, and its score is the Generation's.
    /// </summary>
    public static async Task<InvariantResult> PromotedWithOwnEvaluation(IReadOnlyList<Generation> generations, IArtifactStore store, CancellationToken ct)
    {
        var promoted = generations.Where(g => g.Status?.Phase == GenerationPhases.Promoted).ToList();
        var violations = new List<string>();
        foreach (var g in promoted)
        {
            var layout = new StoreLayout(g.Spec.Lineage, g.Metadata.Name);
            var result = await store.ReadJsonAsync<EvalResult>(layout.EvalResult, ct);
            if (result is null) violations.Add($"{g.Metadata.Name}: promoted without {layout.EvalResult}");
            else if (result.Model != g.Status!.Checkpoint?.Uri) violations.Add($"{g.Metadata.Name}: promoted {g.Status.Checkpoint?.Uri}, but its eval result is for {result.Model}");
            else if (result.Score != g.Status.Score) violations.Add($"{g.Metadata.Name}: status score {g.Status.Score}, eval result {result.Score}");
        }
        return new("no Generation promoted without an eval result for its own model", promoted.Count, violations);
    }

    /// <summary>
    /// No write by a replica that did not hold the lease: every write of the operator (lease writes aside) arrived after a
    /// successful lease write (acquire or renew) by the same replica, with no other replica's successful lease write in
    /// between. Times are the API server's (arrival of the write, answer of the lease write).
    /// </summary>
    public static InvariantResult WritesOnlyByLeaseHolder(IReadOnlyList<RequestRecord> requests, out int holderChanges)
    {
        var ours = requests.Where(r => r.Client == CostTable.OperatorClient && r.IsWrite).ToList();
        var lease = ours.Where(r => r.Resource == "leases" && r.Succeeded).OrderBy(r => r.Finished).ToList();
        holderChanges = lease.Zip(lease.Skip(1)).Count(p => IdentityOf(p.First) != IdentityOf(p.Second));
        var writes = ours.Where(r => r.Resource != "leases").ToList();
        var finished = lease.Select(r => r.Finished).ToArray();
        var violations = new List<string>();
        foreach (var w in writes)
        {
            var i = Array.BinarySearch(finished, w.Started);
            var last = i >= 0 ? i : ~i - 1;
            var holder = last >= 0 ? IdentityOf(lease[last]) : null;
            var writer = IdentityOf(w);
            if (writer is null || holder != writer)
                violations.Add($"{w.Started:HH:mm:ss.fff} {writer ?? "(no identity)"} {w.Verb} {w.Resource}/{w.Name} ({w.StatusCode}) while the lease was {holder ?? "nobody's"}'s"
                    + (last >= 0 ? $" since {lease[last].Finished:HH:mm:ss.fff}" : ""));
        }
        return new("no operator write from a replica that did not hold the lease", writes.Count, violations);
    }

    /// <summary>The replica identity in a User-Agent's comment, <c>lineage-operator/0.1.0 (replica-a-1)</c> → <c>replica-a-1</c>.</summary>
    public static string? IdentityOf(RequestRecord r) => Identity().Match(r.UserAgent) is { Success: true } m ? m.Groups[1].Value : null;


    [GeneratedRegex(@"\(([^()]+)\)\s*$")]
    private static partial Regex Identity();
}
