using System.Globalization;
using Lineage.Operator.Api.V1Alpha1;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Lineage.Operator.Local;

/// <summary>
/// What `local` shows: a live table of each lineage's generations (phase, run step/total, score, parent's score, gain,
/// internalisation, time), a line per change when the output is not a terminal, and the final summary: the history
/// table and a chart of score by generation.
/// </summary>
public static class LocalView
{
    public static IRenderable Table(IReadOnlyList<LineageRow> lineages, DateTime now)
    {
        var table = new Table().Border(TableBorder.Rounded).Expand();
        foreach (var column in new[] { "GENERATION", "STEP", "PHASE", "PROGRESS", "SCORE", "PARENT", "GAIN", "INTERNAL.", "TIME" })
            table.AddColumn(new TableColumn(column) { NoWrap = true });
        foreach (var lineage in lineages)
        {
            table.AddRow(new Markup($"[bold]{Markup.Escape(Title(lineage))}[/]"));
            foreach (var g in lineage.Generations)
                table.AddRow(new Text(g.Name), new Text(g.Step), PhaseMarkup(g.Phase), new Text(Progress(g)), new Text(Percent(g.Score)),
                    new Text(Percent(g.ParentScore)), new Text(Gain(g.Gain)), new Text(Percent(g.Internalisation)), new Text(Duration(g.Started, g.Finished ?? now)));
        }
        if (lineages.Count == 0) table.AddRow("[grey]no Generation or Lineage yet: apply one (kubectl apply -f …, or local --apply)[/]");
        return table;
    }

    /// <summary>One line per generation whose phase, progress or score changed (for logs and pipes).</summary>
    public static IEnumerable<string> Changes(IReadOnlyList<LineageRow> before, IReadOnlyList<LineageRow> after, DateTime now)
    {
        var old = before.SelectMany(l => l.Generations).ToDictionary(g => (g.Namespace, g.Name));
        foreach (var lineage in after)
        {
            var was = before.FirstOrDefault(l => l.Namespace == lineage.Namespace && l.Name == lineage.Name);
            if (was?.Phase != lineage.Phase && lineage.Phase != "") yield return $"{Clock(now)} lineage {lineage.Name}: {lineage.Phase}";
            foreach (var g in lineage.Generations)
            {
                var prior = old.GetValueOrDefault((g.Namespace, g.Name));
                if (prior is not null && prior.Phase == g.Phase && prior.Score == g.Score && Progress(prior) == Progress(g)) continue;
                if (prior is not null && prior.Phase == g.Phase && prior.Score == g.Score && (g.RunStep ?? 0) % 50 != 0) continue; // progress: every 50 steps
                yield return $"{Clock(now)} {g.Name} ({g.Step}) {g.Phase} {Progress(g)}"
                    + (g.Score is null ? "" : $" score {Percent(g.Score)}") + (g.ParentScore is null ? "" : $" (parent {Percent(g.ParentScore)})");
            }
        }
    }

    public static IRenderable Summary(IReadOnlyList<LineageRow> lineages)
    {
        var parts = new List<IRenderable>();
        foreach (var lineage in lineages)
        {
            var table = new Table().Border(TableBorder.Simple).Title($"[bold]{Markup.Escape(Title(lineage))}[/]");
            foreach (var column in new[] { "GENERATION", "STEP", "RESULT", "SCORE", "PARENT", "GAIN", "INTERNAL.", "TIME" }) table.AddColumn(column);
            foreach (var g in lineage.Generations)
                table.AddRow(new Text(g.Name), new Text(g.Step), PhaseMarkup(g.Phase), new Text(Percent(g.Score)), new Text(Percent(g.ParentScore)),
                    new Text(Gain(g.Gain)), new Text(Percent(g.Internalisation)), new Text(Duration(g.Started, g.Finished)));
            parts.Add(table);
            var scored = lineage.Generations.Where(g => g.Score is not null).ToList();
            if (scored.Count > 0)
            {
                var chart = new BarChart().Width(60).Label("score by generation (held-out)").WithMaxValue(100);
                foreach (var g in scored)
                    chart.AddItem($"{g.Name} {g.Step}", Math.Round(g.Score!.Value * 100, 1), g.Phase == GenerationPhases.Promoted ? Color.Green : Color.Red);
                parts.Add(chart);
            }
            var total = Duration(lineage.Generations.Min(g => g.Started), lineage.Generations.Max(g => g.Finished));
            parts.Add(new Markup($"champion [bold]{Markup.Escape(lineage.Champion ?? "none")}[/] {Markup.Escape(Percent(lineage.ChampionScore))}; " +
                $"{lineage.Generations.Count(g => g.Phase == GenerationPhases.Promoted)} promoted of {lineage.Generations.Count}; {Markup.Escape(total)} in all\n"));
        }
        return new Rows(parts);
    }

    /// <summary>The same summary for machines (--json).</summary>
    public static object SummaryJson(IReadOnlyList<LineageRow> lineages) => lineages.Select(l => new
    {
        @namespace = l.Namespace,
        lineage = l.Name,
        phase = l.Phase,
        champion = l.Champion,
        championScore = l.ChampionScore,
        generations = l.Generations.Select(g => new
        {
            name = g.Name, step = g.Step, result = g.Phase, score = g.Score, parentScore = g.ParentScore, gain = g.Gain,
            internalisation = g.Internalisation, seconds = g.Started is { } s && g.Finished is { } f ? (f - s).TotalSeconds : (double?)null,
        }),
    });

    static string Title(LineageRow l) => $"{l.Namespace}/{l.Name}" + (l.Phase == "" ? "" : $" — {l.Phase}") +
        (l.Champion is null ? "" : $" — champion {l.Champion} {Percent(l.ChampionScore)}");

    static Markup PhaseMarkup(string phase) => new(phase switch
    {
        GenerationPhases.Promoted => $"[green]{phase}[/]",
        GenerationPhases.Rejected => $"[yellow]{phase}[/]",
        GenerationPhases.Failed => $"[red]{phase}[/]",
        _ => Markup.Escape(phase),
    });

    static string Progress(GenerationRow g) => g.RunStep is { } step && g.RunTotal is { } total and > 0
        ? $"{step}/{total} ({100.0 * step / total:0}%)" : "";

    static string Percent(double? value) => value is { } v ? (100 * v).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    static string Gain(double? value) => value is { } v ? (v >= 0 ? "+" : "") + (100 * v).ToString("0.0", CultureInfo.InvariantCulture) : "";

    static string Duration(DateTime? from, DateTime? to) => from is { } f && to is { } t && t >= f
        ? ((int)(t - f).TotalMinutes > 0 ? $"{(int)(t - f).TotalMinutes}m{(t - f).Seconds:00}s" : $"{(t - f).Seconds}s") : "";

    static string Clock(DateTime now) => now.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
}
