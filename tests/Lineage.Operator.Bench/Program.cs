// The operator benchmark (docs/benchmarks/operator.md): N × D Generations created at once, or N Lineages breeding
// D generations each, reach steady state. The test API server runs in this process, the real lineage-operator as a
// child process (measured alone from /proc/<pid>), and this program plays the Job controller and the trainer.
// Usage: dotnet run -c Release --project tests/Lineage.Operator.Bench [-- --lineages 100 --depth 10 --workers 4 --idle-seconds 20]
//        dotnet run -c Release --project tests/Lineage.Operator.Bench [-- --kind lineage --lineages 1000 --generations 3]
//        dotnet run -c Release --project tests/Lineage.Operator.Bench -- --chaos --duration-minutes 30 --seed 1   (docs/reliability.md)
using System.Runtime.InteropServices;
using Lineage.Operator.Bench;

// SIGTERM or Ctrl-C stops the bench and the operators it started. Without this the embedded API server's host took
// the signal for itself (it stops serving, the run goes on, and only SIGKILL ended the bench).
using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

BenchOptions options;
try { options = BenchOptions.Parse(args); }
catch (ArgumentException e)
{
    Console.Error.WriteLine($"lineage-operator-bench: {e.Message}");
    return 2;
}
return options.Chaos ? await ChaosBench.RunAsync(options) : await OperatorBench.RunAsync(options);

static void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    Console.Error.WriteLine($"lineage-operator-bench: {context.Signal}: stopping the operator processes and exiting");
    OperatorProcess.KillAll();
    Environment.Exit(context.Signal == PosixSignal.SIGINT ? 130 : 143);
}
