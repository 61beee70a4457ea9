using Lineage.Chaos.Bench;

ChaosOptions options;
try { options = ChaosOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"chaos-bench: {e.Message}");
    return 2;
}
await using var bench = new ChaosBench(options);
return await bench.RunAsync();
