using System.Globalization;
using System.Text.Json;
using ClvPortal.Core.Analytics;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Results;

/// <summary>The period the data covers, its partial months and cohort LTV on the results page.</summary>
[Trait("Category", "Integration")]
public sealed class CohortsPageTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Results_DataEndingMidDecember_SaysThePeriodAndMarksDecemberPartial()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 300);
        await SetPeriodAsync(uploadId, new DataPeriod(new DateOnly(2024, 1, 10), new DateOnly(2025, 12, 9)));

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/results");

        Assert.Equal("Your data runs from 10 Jan 2024 to 9 Dec 2025.", page.QuerySelector("[data-period]")!.TextContent.Trim());
        Assert.Equal(
            ["January 2024 has data for only 22 of its 31 days", "December 2025 has data for only 9 of its 31 days"],
            page.QuerySelectorAll("[data-note=partial-month]").Select(n => n.TextContent.Trim().Split(',')[0]));
        var partial = JsonDocument.Parse(page.QuerySelector("#dashboard-data")!.TextContent).RootElement
            .GetProperty("monthly").GetProperty("partial").EnumerateArray().Select(p => p.GetBoolean()).ToList();
        Assert.Equal(24, partial.Count);
        Assert.Equal([0, 23], partial.Select((p, i) => (p, i)).Where(x => x.p).Select(x => x.i));
    }

    [Fact]
    public async Task Results_FinishedAnalysis_DrawsCohortsFromTheStoredTableWithATextAlternative()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, customers) = await ResultsTestData.SeedAsync(factory, ownerId, 1_200);
        var stored = (await factory.Services.GetRequiredService<PortalDb>().AnalysisResults.Find(r => r.Id == uploadId).SingleAsync()).Aggregates.Cohorts!;

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/results");

        var rows = page.QuerySelectorAll("table[data-table=cohorts] tbody tr");
        Assert.Equal(stored.Cohorts.Count, rows.Length);
        // Every seeded customer is in exactly one cohort; their first purchases span 18 months, too many lines: quarters.
        Assert.Equal(customers.Count, rows.Sum(r => int.Parse(r.Children[1].TextContent, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)));
        var firstMonth = customers.Min(c => c.FirstPurchase);
        Assert.Equal($"Q{((firstMonth.Month - 1) / 3) + 1} {firstMonth.Year}", rows[0].Children[0].TextContent.Trim());
        // Quarterly cohorts show every third month: "3 months" is the first three months' revenue per customer.
        Assert.Equal("3 months", page.QuerySelectorAll("table[data-table=cohorts] thead th")[2].TextContent.Trim());
        Assert.Equal($"${stored.Cohorts[0].Actual[2]:N2}", rows[0].Children[2].TextContent.Trim());
        // The data ends on 18 December: the oldest cohort's last column (its 22nd month) is marked as so far, the predicted column is filled.
        Assert.EndsWith("*", rows[0].QuerySelector("td.partial")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal($"${stored.Cohorts[^1].Predicted[^1]:N2}", rows[^1].QuerySelector("td.predicted")!.TextContent.Trim());
        Assert.Contains("By 18 Dec 2026 (predicted)", page.QuerySelector("table[data-table=cohorts] thead")!.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"^Customers who first bought in Q\d \d{4} spent \$[\d,.]+ each in their first 6 months, and are expected to reach \$[\d,.]+ each by 18 December 2026\.$",
            page.QuerySelector("[data-summary=cohorts]")!.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("canvas[data-chart=cohorts]"));

        var chart = JsonDocument.Parse(page.QuerySelector("#dashboard-data")!.TextContent).RootElement.GetProperty("cohorts");
        Assert.Equal(stored.Cohorts.Count, chart.GetProperty("cohorts").GetArrayLength());
        var first = chart.GetProperty("cohorts")[0];
        // Solid for whole months only, dashed from the last whole month on.
        var actual = first.GetProperty("actual").EnumerateArray().ToList();
        Assert.Equal(stored.Cohorts[0].CompleteMonths, actual.Count(v => v.ValueKind == JsonValueKind.Number));
        Assert.Equal(stored.Cohorts[0].Predicted.Count + 1, first.GetProperty("predicted").EnumerateArray().Count(v => v.ValueKind == JsonValueKind.Number));
    }

    [Fact]
    public async Task Results_StoredBeforeCohortsExisted_ShowsThePageWithoutThem()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory);
        var (uploadId, _) = await ResultsTestData.SeedAsync(factory, ownerId, 50);
        await factory.Services.GetRequiredService<PortalDb>().AnalysisResults.UpdateOneAsync(r => r.Id == uploadId,
            Builders<AnalysisResultDocument>.Update.Unset(r => r.Aggregates.Cohorts).Unset(r => r.Aggregates.Period));

        var page = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/results");

        Assert.Null(page.QuerySelector("[data-section=cohorts]"));
        Assert.Null(page.QuerySelector("[data-period]"));
        Assert.Equal("50", page.QuerySelector("[data-kpi=customers]")!.TextContent.Trim());
    }

    private Task SetPeriodAsync(Guid uploadId, DataPeriod period) =>
        factory.Services.GetRequiredService<PortalDb>().AnalysisResults.UpdateOneAsync(r => r.Id == uploadId,
            Builders<AnalysisResultDocument>.Update.Set(r => r.Aggregates.Period, period));
}
