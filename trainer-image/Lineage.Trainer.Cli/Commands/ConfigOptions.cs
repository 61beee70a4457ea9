using System.CommandLine;
using Lineage.Contracts.Config;

namespace Lineage.Trainer.Cli.Commands;

/// <summary>
/// `--config FILE` (YAML or JSON), `--set field.path=value` for any field, and per-command shortcut
/// flags that are sugar for `--set`. All of it goes through one typed parse and validation.
/// </summary>
sealed class ConfigOptions
{
    readonly Option<FileInfo?> file = new("--config", "-c") { Description = "YAML or JSON config file." };
    readonly Option<string[]> set = new("--set") { Description = "Override any config field: --set optim.learningRate=3e-4 (repeatable).", AllowMultipleArgumentsPerToken = false };
    readonly List<(Option<string?> Option, string Path)> shortcuts = [];

    /// <summary>The shortcut every command that runs a model takes (its config's device field).</summary>
    public static readonly (string Flag, string Path, string Help) Device =
        ("--device", "device", $"{DeviceSetting.Forms}; default the {DeviceSetting.Variable} variable, else auto (CUDA when libtorch sees a GPU)");

    public ConfigOptions(Command command, params (string Flag, string Path, string Help)[] flags)
    {
        command.Options.Add(file);
        command.Options.Add(set);
        foreach (var (flag, path, help) in flags)
        {
            var option = new Option<string?>(flag) { Description = $"{help} (= --set {path}=…)" };
            command.Options.Add(option);
            shortcuts.Add((option, path));
        }
    }

    public T Load<T>(ParseResult parse, IEnumerable<string>? extra = null) where T : IValidated, new() => LoadOnto<T>(parse, null, extra);

    /// <summary>Like <see cref="Load{T}"/>, but fields the file does not set come from <paramref name="baseYaml"/> (tuned defaults).</summary>
    public T LoadOnto<T>(ParseResult parse, string? baseYaml, IEnumerable<string>? extra = null) where T : IValidated, new()
    {
        var overrides = new List<string>(extra ?? []);
        foreach (var (option, path) in shortcuts)
            if (parse.GetValue(option) is { } value) overrides.Add($"{path}={value}");
        overrides.AddRange(parse.GetValue(set) ?? []);
        var path2 = parse.GetValue(file);
        if (baseYaml is not null)
        {
            if (path2 is not null && !path2.Exists) throw new ConfigError($"{path2.FullName}: config file not found");
            var fileText = path2 is null ? "" : File.ReadAllText(path2.FullName);
            var merged = ConfigOverrides.Merge(baseYaml, fileText, path2?.FullName ?? "command line");
            return ConfigLoader.Parse<T>(merged, path2?.FullName ?? "command line", overrides);
        }
        return path2 is null
            ? ConfigLoader.Parse<T>("", "command line", overrides)
            : ConfigLoader.LoadFile<T>(path2.FullName, overrides);
    }
}
