using System.Globalization;

namespace Lineage.Operator.Bench;

/// <summary>
/// The benchmark's knobs: <c>--kind generation|lineage</c> (what the bench creates: chained Generations, the default,
/// or Lineages that breed their own), <c>--lineages N --depth D</c> (N lineages of D generations; <c>--generations</c>
/// is the same flag; default 100 × 10 Generations, or 100 × 3 for Lineages),
/// <c>--operator-gc server|workstation</c> (the operator's GC; default as built, i.e. workstation, with the image's DOTNET_* ENV lines),
/// <c>--operator-dll PATH</c> (the lineage-operator.dll to run, e.g. a ReadyToRun publish; default the one built next to the bench),
/// <c>--workers W</c> (the operator's per-controller workers, default the operator's own, 16), <c>--idle-seconds S</c>
/// (how long idle CPU is sampled after steady state, default 20), <c>--timeout-seconds T</c> (default 300),
/// <c>--watch-decode</c> (after the run, the operator's watch decoder and KubernetesClient's on the same streams).
/// <c>--chaos</c> runs the chaos benchmark instead (<see cref="ChaosBench"/>): Lineages created in waves for
/// <c>--duration-minutes M</c> (default 30) while faults are injected at random, <c>--faults-per-minute F</c> of them
/// (default 12), drawn from <c>--seed S</c> (default 1); <c>--lineages</c> then defaults to 10 a minute.
/// </summary>
public sealed record BenchOptions
{
    public BenchKind Kind { get; init; } = BenchKind.Generation;
    public int Lineages { get; init; } = 100;
    /// <summary>Generations per lineage; unset means 10 for chained Generations, 3 (a Lineage's default maxGenerations) for Lineages.</summary>
    public int? Generations { get; init; }
    public int Workers { get; init; } = Lineage.Operator.Hosting.OperatorOptions.DefaultWorkers;
    public int IdleSeconds { get; init; } = 20;
    public int TimeoutSeconds { get; init; } = 300;
    public bool? ServerGc { get; init; }
    public string? OperatorDll { get; init; }
    public bool Chaos { get; init; }
    /// <summary>After the run: the watch decoders compared on the stored objects' watch streams (<see cref="WatchDecodeBench"/>).</summary>
    public bool WatchDecode { get; init; }
    public int DurationMinutes { get; init; } = 30;
    public int FaultsPerMinute { get; init; } = 12;
    public int Seed { get; init; } = 1;
    bool lineagesSet;

    /// <summary>Lineages to create: as asked, or in chaos mode 10 for every minute of the run.</summary>
    public int LineageCount => Chaos && !lineagesSet ? 10 * DurationMinutes : Lineages;

    public int Depth => Generations ?? (Kind == BenchKind.Lineage ? 3 : 10);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (args[i] == "--watch-decode")
            {
                options = options with { WatchDecode = true };
                i--;
                continue;
            }
            if (args[i] == "--chaos")
            {
                options = options with { Chaos = true, Kind = BenchKind.Lineage };
                i--;
                continue;
            }
            if (i + 1 >= args.Length) throw new ArgumentException($"{args[i]} needs a value");
            if (args[i] == "--operator-gc")
            {
                options = options with { ServerGc = args[i + 1] switch
                {
                    "server" => true,
                    "workstation" => false,
                    _ => throw new ArgumentException($"--operator-gc: '{args[i + 1]}' is not server or workstation"),
                } };
                continue;
            }
            if (args[i] == "--operator-dll")
            {
                options = options with { OperatorDll = Path.GetFullPath(args[i + 1]) };
                continue;
            }
            if (args[i] == "--kind")
            {
                options = options with { Kind = args[i + 1] switch
                {
                    "generation" => BenchKind.Generation,
                    "lineage" => BenchKind.Lineage,
                    _ => throw new ArgumentException($"--kind: '{args[i + 1]}' is not generation or lineage"),
                } };
                continue;
            }
            var value = int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{args[i]}: '{args[i + 1]}' is not a positive whole number");
            options = args[i] switch
            {
                "--lineages" => options with { Lineages = value, lineagesSet = true },
                "--duration-minutes" => options with { DurationMinutes = value },
                "--faults-per-minute" => options with { FaultsPerMinute = value },
                "--seed" => options with { Seed = value },
                "--depth" or "--generations" => options with { Generations = value },
                "--workers" => options with { Workers = value },
                "--idle-seconds" => options with { IdleSeconds = value },
                "--timeout-seconds" => options with { TimeoutSeconds = value },
                _ => throw new ArgumentException(
                    $"unknown flag {args[i]}; known: --kind, --lineages, --depth (or --generations), --operator-gc, --operator-dll, --workers, --watch-decode, --idle-seconds, --timeout-seconds, --chaos, --duration-minutes, --faults-per-minute, --seed"),
            };
        }
        if (options.Kind == BenchKind.Lineage && options.Depth > LineageScenario.MaxGenerations)
            throw new ArgumentException($"--generations: {options.Depth} is more than {LineageScenario.MaxGenerations}, the most a Lineage's rising scores fit under 1");
        return options;
    }
}

/// <summary>What the bench creates: chained Generations, or Lineages whose Generations the operator breeds.</summary>
public enum BenchKind { Generation, Lineage }
