using System.Text.Json;

namespace ClvPortal.Tests.Web.Results;

[Trait("Category", "Integration")]
public sealed class ResultsPageTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Results_FinishedAnalysis_ShowsKpisChartDataModelAndCleaningReport()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, rows) = await ResultsTestData.SeedAsync(factory, ownerId, 1_200);

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/results");

        Assert.Equal("1,200", page.QuerySelector("[data-kpi=customers]")!.TextContent.Trim());
        Assert.Equal($"${rows.Sum(c => c.TotalRevenue):N0}", page.QuerySelector("[data-kpi=revenue]")!.TextContent.Trim());
        Assert.Equal(rows.Count(c => c.ChurnRisk).ToString("N0"), page.QuerySelector("[data-kpi=churn]")!.TextContent.Trim());
        Assert.Contains("XGBoost", page.QuerySelector(".headline")!.TextContent, StringComparison.Ordinal);

        var data = JsonDocument.Parse(page.QuerySelector("#dashboard-data")!.TextContent).RootElement;
        Assert.Equal(24, data.GetProperty("monthly").GetProperty("revenue").GetArrayLength());
        Assert.Equal(3, data.GetProperty("backtests").GetArrayLength());
        Assert.Equal(1_200, data.GetProperty("tiers").GetProperty("customers").EnumerateArray().Sum(t => t.GetInt32()));
        Assert.True(page.QuerySelectorAll("canvas[data-chart]").Length >= 10);

        Assert.Equal(3, page.QuerySelectorAll("table[data-table=backtest] tbody tr").Length);
        Assert.Contains("5,120", page.QuerySelector("table[data-table=cleaning]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("CustomerID", page.QuerySelector("table[data-table=mapping]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("a first part above 12", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        // No inline script: chart data travels in a JSON data island read by results.js.
        Assert.All(page.QuerySelectorAll("script:not([src])"), s => Assert.Equal("application/json", s.GetAttribute("type")));
    }

    [Fact]
    public async Task Results_StatusPageLinkForm_ServesTheSamePage()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 20);

        var page = await PortalWebFactory.GetPageAsync(client, $"/Analyses/Results?id={uploadId}");

        Assert.Equal("20", page.QuerySelector("[data-kpi=customers]")!.TextContent.Trim());
    }
}
