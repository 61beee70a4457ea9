using Lineage.Contracts.Config;
using Lineage.Trainer.Devices;
using TorchSharp;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Devices;

/// <summary>Which device a run gets: its config's field, else LINEAGE_DEVICE, else auto; CUDA asked for and absent is an error.</summary>
[Collection(nameof(DefaultDeviceCollection))]
public sealed class ComputeDeviceTests : IDisposable
{
    readonly string? environment = Environment.GetEnvironmentVariable(DeviceSetting.Variable);

    public ComputeDeviceTests() => Environment.SetEnvironmentVariable(DeviceSetting.Variable, null);

    public void Dispose() => Environment.SetEnvironmentVariable(DeviceSetting.Variable, environment);

    [Fact]
    public void Auto_is_cuda_exactly_when_libtorch_reports_it()
    {
        var device = ComputeDevice.Resolve(null);
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, device.type);
        Assert.Equal(device.type, ComputeDevice.Resolve("auto").type);
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve("cpu").type);
    }

    [Fact]
    public void Asking_for_cuda_where_libtorch_sees_none_names_where_the_request_came_from()
    {
        if (cuda.is_available())
        {
            Assert.Equal(new Device(DeviceType.CUDA, 0).ToString(), ComputeDevice.Resolve("cuda").ToString());
            return;
        }
        var fromConfig = Assert.Throws<ConfigError>(() => ComputeDevice.Resolve("cuda:1"));
        Assert.StartsWith("device: cuda:1 was asked for, but libtorch sees no CUDA device", fromConfig.Message);

        Environment.SetEnvironmentVariable(DeviceSetting.Variable, "cuda");
        var fromEnvironment = Assert.Throws<ConfigError>(() => ComputeDevice.Resolve(null));
        Assert.StartsWith($"{DeviceSetting.Variable}: cuda was asked for", fromEnvironment.Message);
    }

    [Fact]
    public void The_config_field_wins_over_the_environment_variable_which_wins_over_auto()
    {
        Environment.SetEnvironmentVariable(DeviceSetting.Variable, "cuda:3");
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve("cpu").type);
        Environment.SetEnvironmentVariable(DeviceSetting.Variable, "cpu");
        Assert.Equal(DeviceType.CPU, ComputeDevice.Resolve(null).type);
        Assert.Equal((DeviceSetting.Cpu, DeviceSetting.Variable), DeviceSetting.Effective(null));
    }

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("CPU")]
    public void A_device_that_is_none_of_the_forms_is_refused_naming_the_field(string value)
    {
        var error = Assert.Throws<ConfigError>(() => ConfigLoader.Parse<GrpoConfig>($"policy: p\noutput: o\ndevice: \"{value}\"", "grpo.yaml"));
        Assert.Contains($"device: must be auto, cpu, cuda or cuda:N (got '{value}')", error.Message);

        Environment.SetEnvironmentVariable(DeviceSetting.Variable, value);
        var fromEnvironment = Assert.Throws<ConfigError>(() => ComputeDevice.Resolve(null));
        Assert.Equal($"{DeviceSetting.Variable}: must be auto, cpu, cuda or cuda:N (got '{value}')", fromEnvironment.Message);
    }
}
