using ClvPortal.Core.Analytics;
using ClvPortal.Core.Features;
using ClvPortal.Core.Pipeline;
using ClvPortal.Core.Synthetic;

namespace ClvPortal.Tests.Core.Pipeline;

/// <summary>Cohort LTV and the period covered, from a whole run of the pipeline.</summary>
[Trait("Category", "Unit")]
public sealed class ClvPipelineCohortTests
{
    [Fact]
    public void Run_GeneratedFourteenMonths_MonthlyCohortsContinuedByEveryCustomersClv()
    {
        var stream = new MemoryStream();
        TransactionGenerator.WriteCsv(stream, new GeneratorOptions { Rows = 20_000, Customers = 600, Seed = 3, Days = 410 });
        stream.Position = 0;

        var result = ClvPipeline.Run(stream, "retail.csv", new PipelineOptions { HorizonMonths = 6 }).Result!;

        var aggregates = result.Aggregates;
        var period = aggregates.Period!;
        Assert.Equal(result.Customers.Min(c => c.FirstPurchase), period.From);
        Assert.Equal(result.ObservationEnd, period.To);
        var cohorts = aggregates.Cohorts!;
        Assert.Equal(CohortGrouping.Month, cohorts.Grouping);
        Assert.Equal(14, cohorts.Cohorts.Count);
        Assert.Equal(result.Customers.Count, cohorts.Cohorts.Sum(c => c.Customers));
        Assert.Equal(6, cohorts.HorizonMonths);
        // Each cohort's curve ends, 6 months after the data, at what its customers spent plus their predicted CLV.
        var clv = result.Modeling!.Predictions.ToDictionary(p => p.CustomerId, p => p.HeadlineClv);
        foreach (var cohort in cohorts.Cohorts)
        {
            var members = result.Customers.Where(c => c.FirstPurchase >= cohort.Start && c.FirstPurchase < cohort.Start.AddMonths(1)).ToList();
            Assert.Equal(members.Count, cohort.Customers);
            var expected = members.Sum(c => c.TotalRevenue + clv.GetValueOrDefault(c.CustomerId)) / members.Count;
            Assert.Equal(expected, cohort.Predicted[^1], 6);
            Assert.True(cohort.Predicted[^1] > cohort.Actual[^1], "the models predict more purchases");
        }
    }

    [CdnowFact]
    public void Run_Cdnow_ThreeMonthlyCohortsWhoseFirstMonthsAddUpToTheFile()
    {
        using var file = File.OpenRead(TestData.CdnowPath);

        var result = ClvPipeline.Run(file, "CDNOW_master.txt", new PipelineOptions { TimeUnit = TimeUnit.ContinuousWeeks, RunModels = false }).Result!;

        // Every CDNOW customer made a first purchase in January-March 1997 (Fader, Hardie & Lee 2005); the data ends 30 June 1998.
        var cohorts = result.Aggregates.Cohorts!;
        Assert.Equal(CohortGrouping.Month, cohorts.Grouping);
        Assert.Equal([new DateOnly(1997, 1, 1), new DateOnly(1997, 2, 1), new DateOnly(1997, 3, 1)], cohorts.Cohorts.Select(c => c.Start));
        Assert.Equal(23_570, cohorts.Cohorts.Sum(c => c.Customers));
        Assert.Equal([18, 17, 16], cohorts.Cohorts.Select(c => c.CompleteMonths));
        Assert.Equal(result.Customers.Sum(c => c.TotalRevenue), cohorts.Cohorts.Sum(c => c.Actual[^1] * c.Customers), 3);
        var january = result.Customers.Where(c => c.FirstPurchase.Month == 1 && c.FirstPurchase.Year == 1997).ToList();
        Assert.Equal(january.Count, cohorts.Cohorts[0].Customers);
        Assert.Equal(new DataPeriod(new DateOnly(1997, 1, 1), new DateOnly(1998, 6, 30)), result.Aggregates.Period);
        Assert.False(result.Aggregates.Period!.IsPartial(1998, 6));
    }
}
