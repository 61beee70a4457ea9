using System.Diagnostics;

namespace Lineage.Operator.Local;

/// <summary>
/// The command the local node runs for the trainer image: --trainer (a .dll runs under dotnet), else this checkout's
/// trainer, built first (Release) so a fresh clone needs no separate step; the operator itself never links libtorch.
/// </summary>
public static class TrainerLocator
{
    public const string Project = "trainer-image/Lineage.Trainer.Cli/Lineage.Trainer.Cli.csproj";

    public static async Task<IReadOnlyList<string>> ResolveAsync(string? given, Action<string> say, CancellationToken ct)
    {
        if (given is not null) return Command(Path.GetFullPath(given));
        var root = Checkout() ?? throw new ArgumentException(
            "no trainer: run from a Lineage checkout (its trainer is built on first use), or pass --trainer PATH (lineage-trainer.dll) or set LINEAGE_TRAINER");
        var project = Path.Combine(root, Project);
        say($"building the trainer ({Project}, Release)…");
        var build = new ProcessStartInfo("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "q"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var process = Process.Start(build) ?? throw new InvalidOperationException("cannot start dotnet to build the trainer");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct).ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"building the trainer failed (dotnet build {project}):\n{await output.ConfigureAwait(false)}{await errors.ConfigureAwait(false)}");
        var dll = Path.Combine(root, "trainer-image", "Lineage.Trainer.Cli", "bin", "Release", "net10.0", "lineage-trainer.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"the trainer was built but {dll} is missing");
        return Command(dll);
    }

    static IReadOnlyList<string> Command(string path) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ["dotnet", path] : [path];

    /// <summary>The checkout holding the trainer's project, above the working directory or this program.</summary>
    static string? Checkout()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, Project))) return dir.FullName;
        return null;
    }
}
