using Lineage.Trainer.Objectives;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace Lineage.Trainer.Tests.Objectives;

public sealed class K3KlTests
{
    [Fact]
    public void Is_exp_d_minus_d_minus_one_of_the_reference_log_ratio()
    {
        using var scope = NewDisposeScope();
        var logp = T.Vec(0, Math.Log(2), -0.7);
        var refLogp = T.Vec(Math.Log(2), 0, -0.7);

        var kl = K3Kl.Compute(logp, refLogp);

        // d = ln 2: 2 − ln 2 − 1 = 1 − ln 2 ; d = −ln 2: 1/2 + ln 2 − 1 = ln 2 − 1/2 ; d = 0: 1 − 0 − 1 = 0
        T.Close([1 - Math.Log(2), Math.Log(2) - 0.5, 0], kl, 1e-15);
    }

    [Fact]
    public void Is_never_negative()
    {
        using var scope = NewDisposeScope();
        var logp = linspace(-5, 5, 41, dtype: ScalarType.Float64);
        var kl = K3Kl.Compute(logp, zeros_like(logp));
        Assert.True(kl.min().ToDouble() >= 0);
    }
}
