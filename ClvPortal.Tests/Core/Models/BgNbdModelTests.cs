using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

public sealed class BgNbdModelTests
{
    // Fader, Hardie & Lee (2005) on the 2,357-customer CDNOW sample, as printed by the lifetimes
    // Quickstart (bgf.summary): r 0.242593 (se 0.012557), alpha 4.413532 (0.378221),
    // a 0.792886 (0.185719), b 2.425752 (0.705345).
    private static readonly BgNbdParameters Published = new(0.242593, 4.413532, 0.792886, 2.425752);
    private static readonly double[] PublishedStandardErrors = [0.012557, 0.378221, 0.185719, 0.705345];

    [Trait("Category", "Unit")]
    [Fact]
    public void ConditionalExpectedPurchases_PaperCustomer_Is1226()
    {
        // FHL (2005) §5 and lifetimes' test against Hardie's spreadsheet: x = 2, t_x = 30.43,
        // T = 38.86 expects 1.226 purchases in the next 39 weeks.
        var expected = Published.ConditionalExpectedPurchases(39, 2, 30.43, 38.86);

        Assert.Equal(1.226, expected, 0.001);
    }

    [Trait("Category", "Unit")]
    [Theory]
    [InlineData(0.1429, 0.0078)]
    [InlineData(1.0, 0.0532)]
    [InlineData(3.0, 0.1506)]
    [InlineData(31.8571, 1.0405)]
    [InlineData(32.0, 1.0437)]
    [InlineData(78.0, 1.8576)]
    public void ExpectedPurchases_CdnowParameters_MatchHardieSpreadsheet(double weeks, double published)
    {
        // E[X(t)] values from Hardie's BG/NBD spreadsheet, as asserted in lifetimes' test suite (3 decimals).
        Assert.Equal(published, Published.ExpectedPurchases(weeks), 0.0015);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void ProbabilityAlive_NoRepeatPurchase_IsOne()
    {
        Assert.Equal(1.0, Published.ProbabilityAlive(0, 0, 38.86));
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void ProbabilityAlive_LongSilenceAfterManyPurchases_IsLowerThanRecentBuyer()
    {
        var recent = Published.ProbabilityAlive(10, 38, 38.86);
        var silent = Published.ProbabilityAlive(10, 5, 38.86);

        Assert.InRange(recent, 0.8, 1.0);
        Assert.InRange(silent, 0.0, 0.1);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void LogLikelihood_IntegerParameters_MatchesFactorialForm()
    {
        // FHL (2005) eq. 6 evaluated by hand with r = 1, alpha = 2, a = 1, b = 2 (all Gamma functions
        // are factorials): x = 2, t_x = 3, T = 5 gives
        // L = B(1,4)/B(1,2) * Γ(3)·2/7³ + B(2,3)/B(1,2) * Γ(3)·2/5³ = 2/343 + 4/750.
        var parameters = new BgNbdParameters(1, 2, 1, 2);

        var logLikelihood = parameters.LogLikelihood(2, 3, 5);

        Assert.Equal(Math.Log((2.0 / 343) + (4.0 / 750)), logLikelihood, 1e-12);
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Fit_GroupedLikelihood_EqualsSumOverCustomers()
    {
        var simulated = BgNbdSimulation.Simulate(Published, new GammaGammaParameters(6, 4, 15), 3_000, 39, wholeUnits: true, seed: 7);

        var fit = BgNbdModel.Fit(simulated.Frequency, simulated.Recency, simulated.Age);
        var direct = Enumerable.Range(0, 3_000)
            .Sum(i => fit.Parameters.LogLikelihood(simulated.Frequency[i], simulated.Recency[i], simulated.Age[i]));

        Assert.True(fit.Groups < 3_000, "whole-week data must collapse into fewer groups than customers");
        Assert.Equal(direct, fit.LogLikelihood, 1e-6 * Math.Abs(direct));
    }

    [Trait("Category", "Unit")]
    [Fact]
    public void Fit_SimulatedCustomers_RecoversTrueParameters()
    {
        var truth = new BgNbdParameters(0.5, 8, 0.8, 3);
        var simulated = BgNbdSimulation.Simulate(truth, new GammaGammaParameters(6, 4, 15), 40_000, 104, wholeUnits: false, seed: 11);

        var fitted = BgNbdModel.Fit(simulated.Frequency, simulated.Recency, simulated.Age).Parameters;

        // 40,000 customers over two years pin r and alpha to a few percent; a and b (dropout) are
        // known to be looser (FHL 2005 report the largest standard errors for them), hence 25%.
        Assert.Equal(truth.R, fitted.R, 0.08 * truth.R);
        Assert.Equal(truth.Alpha, fitted.Alpha, 0.10 * truth.Alpha);
        Assert.Equal(truth.A, fitted.A, 0.25 * truth.A);
        Assert.Equal(truth.B, fitted.B, 0.25 * truth.B);
    }

    [Trait("Category", "Slow")]
    [CdnowFact]
    public void Fit_FullCdnowFile_IsWithinTwoPublishedStandardErrorsOfThePaper()
    {
        // The paper fits the 1/10 sample (2,357 customers); this is all 23,570 customers of the same
        // Q1-1997 cohort. The sample's estimates differ from the full file's by sampling error of about
        // one standard error of the sample fit, so the published standard errors set the tolerance:
        // measured r 0.2516 (0.7 se), alpha 4.789 (1.0 se), a 0.723 (0.4 se), b 2.161 (0.4 se).
        var cohort = CdnowCohort.Full;

        var fit = BgNbdModel.Fit(cohort.Frequency, cohort.Recency, cohort.Age);

        double[] fitted = [fit.Parameters.R, fit.Parameters.Alpha, fit.Parameters.A, fit.Parameters.B];
        double[] published = [Published.R, Published.Alpha, Published.A, Published.B];
        for (var i = 0; i < 4; i++)
        {
            Assert.InRange(fitted[i], published[i] - (2 * PublishedStandardErrors[i]), published[i] + (2 * PublishedStandardErrors[i]));
        }

        // FHL (2005) report LL = -9582.4 on the sample: per customer the full file lands within 1%.
        Assert.Equal(23_570, fit.Customers);
        Assert.Equal(-9582.4 / 2357, fit.LogLikelihood / fit.Customers, 0.01 * 9582.4 / 2357);
    }
}
