using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

[Trait("Category", "Unit")]
public sealed class SpecialFunctionsTests
{
    [Theory]
    [InlineData(0.5, 0.57236494292470008)] // ln √π
    [InlineData(1.0, 0.0)]
    [InlineData(10.0, 12.801827480081469)] // ln 9!
    [InlineData(0.001, 6.9071788853838536)]
    [InlineData(1000.0, 5905.2204232091808)]
    public void LogGamma_KnownValues_MatchToTwelveDigits(double x, double expected)
    {
        Assert.Equal(expected, SpecialFunctions.LogGamma(x), 1e-12 * Math.Max(1, Math.Abs(expected)));
    }

    [Theory]
    [InlineData(0.1)]
    [InlineData(0.5)]
    [InlineData(0.99)]
    public void Hypergeometric2F1_OneOneTwo_IsMinusLogOneMinusZOverZ(double z)
    {
        // ₂F₁(1, 1; 2; z) = -ln(1 - z) / z (Abramowitz & Stegun 15.1.3).
        Assert.Equal(-Math.Log(1 - z) / z, SpecialFunctions.Hypergeometric2F1(1, 1, 2, z), 1e-10);
    }

    [Fact]
    public void Hypergeometric2F1_HalfHalfThreeHalves_IsArcsinOverZ()
    {
        // ₂F₁(1/2, 1/2; 3/2; z²) = arcsin(z) / z (A&S 15.1.6).
        var z = 0.9;
        Assert.Equal(Math.Asin(z) / z, SpecialFunctions.Hypergeometric2F1(0.5, 0.5, 1.5, z * z), 1e-10);
    }

    [Fact]
    public void LogHypergeometric2F1_HeavyBuyerParameters_StaysFiniteAndExact()
    {
        // ₂F₁(a, b; b; z) = (1 - z)^-a (A&S 15.1.8). a = 150, z = 0.95 is 10^195: a heavy buyer's
        // term, which must not overflow on the way.
        Assert.Equal(150 * -Math.Log(0.05), SpecialFunctions.LogHypergeometric2F1(150, 3.4, 3.4, 0.95), 1e-9);
    }

    [Theory]
    [InlineData(1.0, -0.57721566490153286)] // -γ (Euler-Mascheroni)
    [InlineData(0.5, -1.9635100260214235)] // -γ - 2 ln 2
    [InlineData(100.0, 4.6001618527380874)]
    public void Digamma_KnownValues_MatchToTwelveDigits(double x, double expected)
    {
        // The likelihood gradients the fitters follow are built from ψ: a wrong ψ moves the fitted parameters.
        Assert.Equal(expected, SpecialFunctions.Digamma(x), 1e-12);
    }
}
