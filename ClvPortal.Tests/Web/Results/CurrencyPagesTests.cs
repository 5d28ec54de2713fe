using System.Text.Json;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Results;

/// <summary>
/// An analysis in pounds reads in pounds on every page that shows its money: My analyses, the dashboard and its chart
/// data, the customer table, a customer's page and the share view. A "$" anywhere would be an amount written past
/// the one formatter.
/// </summary>
[Trait("Category", "Integration")]
public sealed class CurrencyPagesTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Pages_AnalysisInPounds_ShowNoDollarSign()
    {
        var (client, ownerId) = await ResultsTestData.NewUserAsync(factory, "pounds");
        var (uploadId, rows) = await ResultsTestData.SeedAsync(factory, ownerId, 40);
        var db = factory.Services.GetRequiredService<PortalDb>();
        await db.Uploads.UpdateOneAsync(u => u.Id == uploadId, Builders<UploadDocument>.Update.Set(u => u.Currency, "GBP"));
        // The made-up analysis' notes quote a dollar amount of their own: an analysis in pounds has none.
        await db.AnalysisResults.UpdateOneAsync(
            r => r.Id == uploadId,
            Builders<AnalysisResultDocument>.Update.Set(r => r.File.Currency, "GBP").Set(r => r.Notes, new List<string>()));
        var customerId = rows.OrderByDescending(c => c.HeadlineClv).First().CustomerId;
        var (link, token) = ShareTokens.NewLink(uploadId, ownerId, DateTime.UtcNow, DateTime.UtcNow.AddDays(1));
        await db.ShareLinks.InsertOneAsync(link);

        var list = await PortalWebFactory.GetPageAsync(client, "/analyses");
        var results = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/results");
        var table = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers");
        var customer = await PortalWebFactory.GetPageAsync(client, $"/analyses/{uploadId}/customers/{CustomerIdSegment.Encode(customerId)}");
        var shared = await PortalWebFactory.GetPageAsync(factory.CreatePortalClient(), $"/s/{token}");

        foreach (var (name, page) in new[] { ("My analyses", list), ("results", results), ("customer table", table), ("customer", customer), ("share view", shared) })
        {
            var text = page.QuerySelector("main")!.TextContent;
            Assert.True(text.Contains('£', StringComparison.Ordinal), $"The {name} page shows no amount in pounds.");
            Assert.False(text.Contains('$', StringComparison.Ordinal), $"The {name} page shows a dollar sign: {Around(text, '$')}");
        }

        Assert.Equal("£" + rows.Sum(c => c.TotalRevenue).ToString("N0", System.Globalization.CultureInfo.InvariantCulture), results.QuerySelector("[data-kpi=revenue]")!.TextContent.Trim());
        foreach (var page in new[] { results, shared })
        {
            var data = JsonDocument.Parse(page.QuerySelector("#dashboard-data")!.TextContent).RootElement;
            // The charts write their axes and tooltips with this symbol (wwwroot/js/results.js).
            Assert.Equal("£", data.GetProperty("currency").GetString());
            Assert.DoesNotContain("$", data.GetRawText(), StringComparison.Ordinal);
        }
    }

    private static string Around(string text, char c)
    {
        var i = text.IndexOf(c, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, i - 60), Math.Min(120, text.Length - Math.Max(0, i - 60)));
    }
}
