using System.Collections.Concurrent;

namespace Lineage.Chaos.Bench;

/// <summary>Counts of injected faults (by kind and where) and of invariant checks (checked, violated, with the first examples).</summary>
public sealed class Tally
{
    readonly ConcurrentDictionary<(string Fault, string Where), int> faults = new();
    readonly ConcurrentDictionary<string, (int Checked, int Violated)> checks = new();
    readonly ConcurrentDictionary<string, ConcurrentQueue<string>> examples = new();
    readonly ConcurrentDictionary<string, int> notes = new();

    public void Fault(string fault, string where) => faults.AddOrUpdate((fault, where), 1, (_, n) => n + 1);
    public void Note(string what) => notes.AddOrUpdate(what, 1, (_, n) => n + 1);

    /// <summary>One check of <paramref name="invariant"/>; a false <paramref name="held"/> is a violation, kept with <paramref name="detail"/>.</summary>
    public bool Check(string invariant, bool held, string detail = "")
    {
        checks.AddOrUpdate(invariant, held ? (1, 0) : (1, 1), (_, c) => (c.Checked + 1, c.Violated + (held ? 0 : 1)));
        if (!held)
        {
            var list = examples.GetOrAdd(invariant, _ => new ConcurrentQueue<string>());
            if (list.Count < 5) list.Enqueue(detail);
            Console.WriteLine($"VIOLATION {invariant}: {detail}");
        }
        return held;
    }

    public int Faults => faults.Values.Sum();
    public int Violations => checks.Values.Sum(c => c.Violated);
    public IReadOnlyDictionary<(string Fault, string Where), int> FaultCounts => faults;
    public IReadOnlyDictionary<string, (int Checked, int Violated)> Checks => checks;

    public void Print(TextWriter o)
    {
        o.WriteLine();
        o.WriteLine("| fault | where injected | how many |");
        o.WriteLine("|---|---|---|");
        foreach (var ((fault, where), n) in faults.OrderBy(f => f.Key.Fault).ThenBy(f => f.Key.Where)) o.WriteLine($"| {fault} | {where} | {n} |");
        o.WriteLine($"| **all** | | **{Faults}** |");
        o.WriteLine();
        o.WriteLine("| invariant | checked | violated |");
        o.WriteLine("|---|---|---|");
        foreach (var (name, (c, v)) in checks.OrderBy(c => c.Key)) o.WriteLine($"| {name} | {c} | {v} |");
        if (notes.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("| also counted | how many |");
            o.WriteLine("|---|---|");
            foreach (var (what, n) in notes.OrderBy(n => n.Key)) o.WriteLine($"| {what} | {n} |");
        }
        foreach (var (name, list) in examples)
            foreach (var e in list) o.WriteLine($"violated: {name}: {e}");
    }
}
