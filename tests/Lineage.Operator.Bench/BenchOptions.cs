using System.Globalization;

namespace Lineage.Operator.Bench;

/// <summary>
/// The benchmark's knobs: <c>--lineages N --depth D</c> (N × D Generations, default 100 × 10),
/// <c>--operator-gc server|workstation</c> (the operator's GC; default as built, i.e. workstation, with the image's DOTNET_* ENV lines),
/// <c>--workers W</c> (the operator's per-controller workers, default 4), <c>--idle-seconds S</c>
/// (how long idle CPU is sampled after steady state, default 20), <c>--timeout-seconds T</c> (default 300).
/// </summary>
public sealed record BenchOptions
{
    public int Lineages { get; init; } = 100;
    public int Depth { get; init; } = 10;
    public int Workers { get; init; } = 4;
    public int IdleSeconds { get; init; } = 20;
    public int TimeoutSeconds { get; init; } = 300;
    public bool? ServerGc { get; init; }

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
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
            var value = int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n : throw new ArgumentException($"{args[i]}: '{args[i + 1]}' is not a positive whole number");
            options = args[i] switch
            {
                "--lineages" => options with { Lineages = value },
                "--depth" => options with { Depth = value },
                "--workers" => options with { Workers = value },
                "--idle-seconds" => options with { IdleSeconds = value },
                "--timeout-seconds" => options with { TimeoutSeconds = value },
                _ => throw new ArgumentException($"unknown flag {args[i]}; known: --lineages, --operator-gc, --depth, --workers, --idle-seconds, --timeout-seconds"),
            };
        }
        return options;
    }
}
