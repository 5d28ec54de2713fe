using ClvPortal.Core.Ingest;
using ClvPortal.Core.Pipeline;
using ClvPortal.Web.Analyses;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>A worker running several analyses at once gives each its share of the cores, for reading as for the models.</summary>
[Trait("Category", "Unit")]
public sealed class PipelineRunnerTests
{
    [Fact]
    public void WithThreads_LimitsReadingAndXgboost_KeepsTheUsersSettings()
    {
        var options = new PipelineOptions { Ingest = new IngestOptions { Currency = "GBP", DateOrder = DateOrder.DayFirst }, HorizonMonths = 6 };

        var limited = PipelineRunner.WithThreads(options, 1);

        Assert.Equal(1, limited.Ingest.ReadThreads);
        Assert.Equal(1, limited.Modeling.Xgboost.Threads);
        Assert.Equal(("GBP", DateOrder.DayFirst, 6), (limited.Ingest.Currency, limited.Ingest.DateOrder, limited.HorizonMonths));
        Assert.Equal(0, options.Ingest.ReadThreads);
    }
}
