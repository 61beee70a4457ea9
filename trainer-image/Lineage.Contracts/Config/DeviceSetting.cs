using System.Globalization;

namespace Lineage.Contracts.Config;

/// <summary>
/// Where a trainer command puts its tensors: <c>auto</c> (CUDA when libtorch sees a GPU, else CPU), <c>cpu</c>,
/// <c>cuda</c> (device 0) or <c>cuda:N</c>. A config's <c>device</c> field (the <c>--device</c> flag) wins; unset, the
/// <see cref="Variable"/> environment variable (the operator's Job sets it from <c>resources.gpus</c>); unset too, auto.
/// </summary>
public static class DeviceSetting
{
    public const string Variable = "LINEAGE_DEVICE";
    public const string Auto = "auto";
    public const string Cpu = "cpu";
    public const string Cuda = "cuda";
    public const string Forms = "auto, cpu, cuda or cuda:N";

    public static bool IsValid(string value) =>
        value is Auto or Cpu or Cuda || (value.StartsWith("cuda:", StringComparison.Ordinal) && CudaIndex(value) is not null);

    /// <summary>N of <c>cuda:N</c>, 0 for <c>cuda</c>, null otherwise.</summary>
    public static int? CudaIndex(string value) =>
        value == Cuda ? 0
        : value.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n
        : null;

    public static void Validate(Validation v, string? value, string field) =>
        v.Require(value is null || IsValid(value), field, $"must be {Forms} (got '{value}')");

    /// <summary>The setting in force and where it came from (the field, the environment variable, or the default).</summary>
    public static (string Value, string Source) Effective(string? configured, string field = "device")
    {
        if (configured is not null) return (configured, field);
        var fromEnvironment = Environment.GetEnvironmentVariable(Variable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? (Auto, "default") : (fromEnvironment.Trim(), Variable);
    }
}
