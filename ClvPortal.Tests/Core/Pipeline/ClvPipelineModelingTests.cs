using ClvPortal.Core.Features;
using ClvPortal.Core.Models;
using ClvPortal.Core.Pipeline;

namespace ClvPortal.Tests.Core.Pipeline;

[Trait("Category", "Integration")]
public sealed class ClvPipelineModelingTests
{
    [CdnowFact]
    public void Run_CdnowWithCalibrationEnd_BacktestsEveryModelAndFitsTheParameters()
    {
        var options = new PipelineOptions
        {
            TimeUnit = TimeUnit.Weeks,
            CalibrationEnd = new DateOnly(1997, 9, 30),
            ObservationEnd = new DateOnly(1998, 6, 30),
            Modeling = new ModelingOptions { Xgboost = new XgbTrainingOptions { Rounds = 40, LearningRate = 0.2 } },
        };

        using var file = File.OpenRead(TestData.CdnowPath);
        var modeling = ClvPipeline.Run(file, "CDNOW_master.txt", options).Result!.Modeling!;

        Assert.Equal(
            [ClvModeling.BaselineModel, ClvModeling.ProbabilisticModel, ClvModeling.EnsembleModel, ClvModeling.XgboostModel],
            modeling.Backtests.Select(b => b.Model).Order());
        Assert.Equal(23_570, modeling.Predictions.Count);
        // Refit on all 78 weeks: the same cohort, so r stays near the paper's 0.24 (FHL 2005).
        Assert.InRange(modeling.BgNbd!.R, 0.2, 0.35);
        Assert.NotNull(modeling.GammaGamma);
        Assert.Equal(365.25, modeling.HorizonDays, 1e-9);
        // The backtest's own fit, on the 39 weeks before the cut, is reported beside the all-data one.
        Assert.Equal(new DateOnly(1997, 9, 30), modeling.Calibration!.CalibrationEnd);
        Assert.InRange(modeling.Calibration.BgNbd!.R, 0.2, 0.35);
    }

    [Theory]
    [InlineData(730, 365)] // two years: the holdout is the 12-month horizon
    [InlineData(240, 120)] // eight months: half the history
    public void AutomaticCalibrationEnd_LongEnoughHistory_HoldsOutHorizonOrHalf(int spanDays, int holdoutDays)
    {
        var first = new DateOnly(2023, 1, 1);
        var end = first.AddDays(spanDays);

        var calibrationEnd = ClvPipeline.AutomaticCalibrationEnd(first, end, new PipelineOptions());

        Assert.Equal(end.AddDays(-holdoutDays), calibrationEnd);
    }

    [Fact]
    public void AutomaticCalibrationEnd_TwoMonthsOfHistory_IsNull()
    {
        var first = new DateOnly(2024, 1, 1);

        Assert.Null(ClvPipeline.AutomaticCalibrationEnd(first, first.AddDays(60), new PipelineOptions()));
    }
}
