using ClvPortal.Core.Features;
using ClvPortal.Core.Models;

namespace ClvPortal.Tests.Core.Models;

public sealed class ClvModelingTests
{
    private static readonly ModelingOptions CdnowOptions = new()
    {
        TimeUnit = TimeUnit.Weeks,
        HoldoutLength = CdnowCohort.HoldoutWeeks,
        HorizonMonths = 12,
        // Fewer rounds and folds than the app's defaults keep the suite quick; the metrics barely move.
        Xgboost = new XgbTrainingOptions { Rounds = 60, LearningRate = 0.15 },
        CrossValidationFolds = 3,
    };

    // One modeling run on the CDNOW split, shared by the tests that read it.
    private static readonly Lazy<ModelingResult> CdnowSplit = new(() => ClvModeling.Run(CdnowCohort.Full.Calibration, CdnowCohort.Full.Everything, CdnowOptions));

    [CdnowFact]
    public void Run_CdnowSplit_BacktestsEveryModelAndHeadlinesTheBestGini()
    {
        var result = CdnowSplit.Value;

        var baseline = Assert.Single(result.Backtests, b => b.Model == ClvModeling.BaselineModel);
        var probabilistic = Assert.Single(result.Backtests, b => b.Model == ClvModeling.ProbabilisticModel);
        var xgboost = Assert.Single(result.Backtests, b => b.Model == ClvModeling.XgboostModel);
        Assert.InRange(xgboost.NormalizedGini, 0.5, 1);
        Assert.Contains(result.Predictions, p => p.XgbClv > 0);
        // Measured on CDNOW: both rank customers far better than chance (Gini ~0.67 and ~0.70: the
        // baseline's first-order value separates one-time buyers, which BG/NBD sees as alike).
        Assert.InRange(probabilistic.NormalizedGini, 0.5, 1);
        Assert.InRange(baseline.NormalizedGini, 0.5, 1);
        var best = result.Backtests.MaxBy(b => b.NormalizedGini)!;
        Assert.Equal(best.Model, result.HeadlineModel);
        // FHL (2005) Fig. 3: the model tracks the cohort's holdout purchases closely; revenue follows within 25%.
        Assert.InRange(probabilistic.TotalRevenueError, -0.25, 0.25);
        Assert.Equal(23_570, result.Predictions.Count);
        Assert.NotNull(result.BgNbd);
        Assert.NotNull(result.GammaGamma);
    }

    [CdnowFact]
    public void Run_CdnowSplit_PredictionsCarryTiersAndChurnFlags()
    {
        var result = CdnowSplit.Value;

        var top = result.Predictions.Where(p => p.Tier == ValueTier.Top1).ToList();
        Assert.InRange(top.Count, 200, 300);
        Assert.True(top.Min(p => p.HeadlineClv) >= result.Predictions.Where(p => p.Tier == ValueTier.Bottom50).Max(p => p.HeadlineClv));
        Assert.Contains(result.Predictions, p => p.ChurnRisk);
        Assert.All(result.Predictions, p => Assert.InRange(p.ProbabilityAlive, 0, 1));
        Assert.All(result.Predictions.Where(p => p.ChurnRisk), p => Assert.True(p.ProbabilityAlive < 0.5));
    }

    [CdnowFact]
    public void Run_NoSplit_SaysSoAndUsesProbabilisticHeadline()
    {
        var result = ClvModeling.Run(null, CdnowCohort.Full.Everything, CdnowOptions);

        Assert.Empty(result.Backtests);
        Assert.Contains("No backtest", result.HeadlineReason, StringComparison.Ordinal);
        Assert.Equal(ClvModeling.ProbabilisticModel, result.HeadlineModel);
        Assert.Contains(result.Notes, n => n.Contains("too short", StringComparison.Ordinal));
    }

    [CdnowFact]
    public void Run_NoSplitWithShippedModel_HeadlinesTheShippedModel()
    {
        var cohort = CdnowCohort.Full;
        using var trained = XgbClvTrainer.Train(cohort.Calibration, new XgbTrainingOptions { TimeUnit = TimeUnit.Weeks, HorizonDays = 273, Rounds = 10 });

        var result = ClvModeling.Run(null, cohort.Everything, CdnowOptions, trained.Model);

        Assert.Equal(ClvModeling.ShippedModel, result.HeadlineModel);
        Assert.All(result.Predictions, p => Assert.Equal(p.XgbClv, p.HeadlineClv));
        Assert.Contains(result.Predictions, p => p.XgbClv > 0);
    }

    [CdnowFact]
    public void Run_TooFewCalibrationCustomers_SkipsBacktestWithNote()
    {
        var cohort = CdnowCohort.Full;

        var result = ClvModeling.Run([.. cohort.Calibration.Take(20)], cohort.Everything, CdnowOptions);

        Assert.Empty(result.Backtests);
        Assert.Contains(result.Notes, n => n.Contains("Only 20 customers", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_NoRepeatBuyers_FallsBackToBaselineWithNote()
    {
        var customers = Enumerable.Range(0, 50).Select(i => Customer($"c{i}", 0, 0, 10 + i, 0, 20 + i)).ToList();

        var result = ClvModeling.Run(null, customers, new ModelingOptions());

        Assert.Equal(ClvModeling.BaselineModel, result.HeadlineModel);
        Assert.Null(result.BgNbd);
        Assert.Contains(result.Notes, n => n.Contains("Nobody bought more than once", StringComparison.Ordinal));
        Assert.Equal(50, result.Predictions.Count);
    }

    [Fact]
    public void Run_RepeatBuyersWithoutPositiveSpend_NotesGammaGammaFallback()
    {
        var customers = Enumerable.Range(0, 60).Select(i => i % 2 == 0
            ? Customer($"c{i}", 2, 20, 60 + i, 0, 30)
            : Customer($"c{i}", 0, 0, 60 + i, 0, 15)).ToList();

        var result = ClvModeling.Run(null, customers, new ModelingOptions());

        Assert.Null(result.GammaGamma);
        Assert.Contains(result.Notes, n => n.Contains("Gamma-Gamma could not be fitted", StringComparison.Ordinal));
        Assert.All(result.Predictions, p => Assert.True(double.IsFinite(p.HeadlineClv)));
    }

    [Fact]
    public void Run_HandfulOfRepeatBuyers_UsesAverageOrderValueInsteadOfGammaGamma()
    {
        // 7 repeat buyers: enough for BG/NBD to see returns, too few for a Gamma-Gamma fit that means anything.
        var customers = Enumerable.Range(0, 40).Select(i => i < 7
            ? Customer($"c{i}", 2 + (i % 3), 20 + i, 60 + i, 25 + (7 * i), 80 + (20 * i))
            : Customer($"c{i}", 0, 0, 60 + i, 0, 15 + i)).ToList();
        var averageOrderValue = customers.Sum(c => c.TotalRevenue) / customers.Sum(c => c.Orders);

        var result = ClvModeling.Run(null, customers, new ModelingOptions());

        Assert.NotNull(result.BgNbd);
        Assert.Null(result.GammaGamma);
        Assert.Contains(result.Notes, n => n.Contains("Only 7 customers", StringComparison.Ordinal) && n.Contains("too few to fit Gamma-Gamma", StringComparison.Ordinal));
        Assert.All(result.Predictions, p => Assert.Equal(averageOrderValue, p.ExpectedAverageValue, 9));
    }

    [CdnowFact]
    public void Run_InfiniteAndInconsistentFeatures_AreLeftOutWithNote()
    {
        var cohort = CdnowCohort.Full;
        List<CustomerFeatures> customers =
        [
            .. cohort.Everything.Take(500),
            Customer("broken-1", 1, double.NaN, 30, 10, 20),
            Customer("broken-2", 1, 40, 30, 10, 20),
            Customer("broken-3", 1, 5, 30, double.PositiveInfinity, 20),
        ];

        var result = ClvModeling.Run(null, customers, CdnowOptions);

        Assert.Equal(500, result.Predictions.Count);
        Assert.Contains(result.Notes, n => n.StartsWith("3 customers had missing, infinite or inconsistent values", StringComparison.Ordinal));
    }

    [CdnowFact]
    public void Run_AllRevenueZero_SaysSoAndPredictsZero()
    {
        var customers = CdnowCohort.Full.Everything.Take(300).Select(c => c with { MonetaryValue = 0, TotalRevenue = 0 }).ToList();

        var result = ClvModeling.Run(null, customers, CdnowOptions);

        Assert.Contains(result.Notes, n => n.Contains("revenue is zero", StringComparison.Ordinal));
        Assert.All(result.Predictions, p => Assert.Equal(0, p.HeadlineClv));
    }

    [Fact]
    public void Run_SingleCustomer_PredictsWithNoteInsteadOfFailing()
    {
        var result = ClvModeling.Run(null, [Customer("only", 3, 30, 40, 25, 100)], new ModelingOptions { TimeUnit = TimeUnit.Weeks });

        var prediction = Assert.Single(result.Predictions);
        Assert.Contains(result.Notes, n => n.Contains("single customer", StringComparison.Ordinal));
        // Baseline: 100 over 40 weeks, carried over 12 months (52.18 weeks).
        Assert.Equal(100.0 / 40 * 12 * 365.25 / 12 / 7, prediction.HeadlineClv, 1e-9);
    }

    [Fact]
    public void Run_NoCustomers_ReturnsEmptyResultWithNote()
    {
        var result = ClvModeling.Run(null, [], new ModelingOptions());

        Assert.Empty(result.Predictions);
        Assert.NotEmpty(result.Notes);
    }

    [CdnowFact]
    public void Run_MonthlyDiscount_LowersEveryModelsClv()
    {
        var customers = CdnowCohort.Full.Everything.Take(2_000).ToList();

        var plain = ClvModeling.Run(null, customers, CdnowOptions);
        var discounted = ClvModeling.Run(null, customers, CdnowOptions with { MonthlyDiscountRate = 0.01 });

        Assert.True(discounted.Predictions.Sum(p => p.ProbabilisticClv) < plain.Predictions.Sum(p => p.ProbabilisticClv));
        Assert.True(discounted.Predictions.Sum(p => p.BaselineClv) < plain.Predictions.Sum(p => p.BaselineClv));
    }

    private static CustomerFeatures Customer(string id, int frequency, double recency, double age, double monetary, double revenue) =>
        new(id, frequency, recency, age, monetary, revenue, frequency + 1, new DateOnly(2024, 1, 1), new DateOnly(2024, 6, 1));
}
