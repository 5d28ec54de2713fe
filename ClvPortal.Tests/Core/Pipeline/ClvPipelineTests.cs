using System.Text;
using ClvPortal.Core.Features;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Pipeline;
using ClvPortal.Core.Synthetic;

namespace ClvPortal.Tests.Core.Pipeline;

[Trait("Category", "Unit")]
public sealed class ClvPipelineTests
{
    private static MemoryStream Generated(long rows, int customers = 500)
    {
        var stream = new MemoryStream();
        TransactionGenerator.WriteCsv(stream, new GeneratorOptions { Rows = rows, Customers = customers, Seed = 5 });
        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void Run_OnlineRetailLikeCsv_AccountsForEveryRowAndReportsEveryStage()
    {
        var stages = new List<PipelineStage>();
        var progress = new SynchronousProgress(p => stages.Add(p.Stage));

        var outcome = ClvPipeline.Run(Generated(20_000), "retail.csv", new PipelineOptions { CalibrationEnd = new DateOnly(2024, 1, 1) }, progress);

        var result = Assert.IsType<PipelineResult>(outcome.Result);
        var cleaning = result.Cleaning;
        Assert.Equal(20_000, cleaning.RowsRead);
        Assert.Equal(cleaning.RowsRead, cleaning.RowsKept + cleaning.Rules.Where(r => r.Action == "dropped").Sum(r => r.Rows));
        Assert.All(new[] { "missing-customer-id", "duplicate-row", "cancelled-invoice", "zero-price" }, rule => Assert.True(cleaning.Rules.Single(r => r.Rule == rule).Rows > 0, rule));
        Assert.Equal("CustomerID", result.File.Mapping.CustomerId);
        Assert.InRange(result.Customers.Count, 300, 500);
        Assert.Equal(result.Customers.Sum(c => c.TotalRevenue), result.Aggregates.Monthly.Sum(m => m.Revenue), 3);
        Assert.Equal("United Kingdom", result.Aggregates.Countries[0].Country);
        Assert.NotNull(result.Calibration);
        Assert.All(result.Calibration, c => Assert.True(c.FirstPurchase <= new DateOnly(2024, 1, 1)));
        Assert.Contains(result.Calibration, c => c.HoldoutPurchases > 0);
        Assert.NotEmpty(result.Modeling!.Backtests);
        Assert.Equal([PipelineStage.Reading, PipelineStage.Cleaning, PipelineStage.Features, PipelineStage.Models, PipelineStage.Aggregates, PipelineStage.Done], stages.Distinct());
    }

    [Fact]
    public void Run_LedgerKept_GivesModelsFeaturesAtAnyOtherCutoff()
    {
        var result = ClvPipeline.Run(Generated(10_000), "retail.csv", new PipelineOptions()).Result!;

        var cutoff = RfmCalculator.Compute(result.Ledger!, new FeatureOptions { CalibrationEnd = new DateOnly(2024, 6, 30) });

        Assert.NotEmpty(cutoff);
        Assert.True(cutoff.Count < result.Customers.Count);
    }

    [Fact]
    public void Run_EveryRowWithoutCustomer_FailsSayingWhyAndWhichColumnsWereRead()
    {
        var csv = "CustomerID,InvoiceDate,Amount\n,2024-01-02,10\n,2024-01-03,12\n";

        var outcome = ClvPipeline.Run(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv", new PipelineOptions());

        Assert.False(outcome.Succeeded);
        Assert.Contains("None of the 2 rows could be used: 2 had no customer id", outcome.Problem!.Message, StringComparison.Ordinal);
        Assert.Contains("\"CustomerID\"", outcome.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_EveryAmountZero_FailsNamingTheAmountColumn()
    {
        var csv = "CustomerID,InvoiceDate,Amount\na,2024-01-02,0\nb,2024-01-03,0.00\na,2024-02-03,0\n";

        var outcome = ClvPipeline.Run(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv", new PipelineOptions());

        Assert.False(outcome.Succeeded);
        Assert.Contains("Every amount read (column \"Amount\") is zero", outcome.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Analyze_NoRowsAtAll_SaysNoRowsWereReadInsteadOfListingNoReasons()
    {
        var file = new FileDescription("csv", "utf-8", ",", false, [], ["customer", "date", "amount"], new ColumnMapping { CustomerId = "customer", Date = "date", Amount = "amount" }, DateOrder.Auto, "");

        var outcome = ClvPipeline.Analyze(file, [], new PipelineOptions());

        Assert.Equal("No transaction rows could be read below the file's header line.", outcome.Problem!.Message);
    }

    [Fact]
    public void Run_FutureDatedRow_DroppedWhenTheLatestPossibleDateIsGiven()
    {
        var csv = "CustomerID,InvoiceDate,Amount\na,2024-01-02,10\nb,2024-01-03,20\na,2099-02-03,30\n";

        var outcome = ClvPipeline.Run(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv", new PipelineOptions { LatestPossibleDate = new DateOnly(2025, 1, 1), RunModels = false });

        Assert.Equal(30, outcome.Result!.Customers.Sum(c => c.TotalRevenue));
        Assert.Equal(new DateOnly(2024, 1, 3), outcome.Result.ObservationEnd);
        Assert.Equal(1, outcome.Result.Cleaning.Rules.Single(r => r.Rule == "future-date").Rows);
    }

    [Fact]
    public void Run_CalibrationEndAfterTheData_FailsWithTheDataRange()
    {
        var outcome = ClvPipeline.Run(Generated(2_000), "retail.csv", new PipelineOptions { CalibrationEnd = new DateOnly(2030, 1, 1) });

        Assert.Contains("2030-01-01 is not inside the data", outcome.Problem!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_BadFile_IsAFailureValueNotAnException()
    {
        var outcome = ClvPipeline.Run(new MemoryStream([0, 1, 2, 3, 0, 0, 255, 254, 0, 7]), "data.csv", new PipelineOptions());

        Assert.False(outcome.Succeeded);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Problem!.WhatToDo));
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the reports in order, now.</summary>
    private sealed class SynchronousProgress(Action<PipelineProgress> report) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => report(value);
    }
}
