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

    public T Load<T>(ParseResult parse, IEnumerable<string>? extra = null) where T : IValidated, new()
    {
        var overrides = new List<string>(extra ?? []);
        foreach (var (option, path) in shortcuts)
            if (parse.GetValue(option) is { } value) overrides.Add($"{path}={value}");
        overrides.AddRange(parse.GetValue(set) ?? []);
        var path2 = parse.GetValue(file);
        return path2 is null
            ? ConfigLoader.Parse<T>("", "command line", overrides)
            : ConfigLoader.LoadFile<T>(path2.FullName, overrides);
    }
}
