using System.Text;
using ClvPortal.Tests.Web.Businesses;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace ClvPortal.Tests.Browser;

/// <summary>
/// Two files of one shop uploaded through the upload page, the second into the business the page offers: the later
/// results link the track record, whose charts draw; it and the business page pass axe (WCAG 2.1 A and AA) and fit
/// a phone.
/// </summary>
[Trait("Category", "Browser")]
public sealed class TrackRecordPageBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task TwoUploadsOfOneBusiness_TrackRecordAndBusinessPages_DrawChartsPassAxeAndFit(int width)
    {
        await using var context = await host.NewContextAsync(width, bypassCsp: true);
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);
        var rows = BusinessTestKit.Shop(customers: 300, newCustomers: 20);

        await UploadAsync(page, "orders-2023.csv", BusinessTestKit.Csv(rows.Where(r => r.Date.Year == 2023)), newBusiness: "Corner Shop");
        await UploadAsync(page, "orders-to-june-2024.csv", BusinessTestKit.Csv(rows), newBusiness: null);

        var problems = new StringBuilder();
        await page.ClickAsync("[data-section=track-records] a");
        await page.WaitForSelectorAsync("[data-headline]");
        Assert.StartsWith("On 31 Dec 2023 we expected $", (await page.TextContentAsync("[data-headline]"))!.Trim(), StringComparison.Ordinal);
        await AssertChartsDrawnAsync(page, 2);
        await AuditAsync(page, width, $"track-record-{width}", problems);

        await page.ClickAsync("nav.crumbs >> text=Business");
        await page.WaitForSelectorAsync("#business-analyses");
        Assert.Equal("Corner Shop", (await page.TextContentAsync("[data-business-name]"))!.Trim());
        await AssertChartsDrawnAsync(page, 1);
        await AuditAsync(page, width, $"business-{width}", problems);

        Assert.True(problems.Length == 0, problems.ToString());
    }

    /// <summary>Uploads a file through the upload page (into a new business, or the one the page picks), starts it on the check step, waits for the results.</summary>
    private static async Task UploadAsync(IPage page, string name, byte[] csv, string? newBusiness)
    {
        await page.GotoAsync("/Analyses/New");
        if (newBusiness is not null)
        {
            await page.SelectOptionAsync("#BusinessId", "new");
            await page.FillAsync("#BusinessName", newBusiness);
        }
        else
        {
            // The page picks the business of the latest upload.
            Assert.Equal("Corner Shop", await page.EvalOnSelectorAsync<string>("#BusinessId", "s => s.options[s.selectedIndex].text"));
        }

        await page.FillAsync("#HorizonMonths", "3");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/csv", Buffer = csv });
        await page.ClickAsync("#upload-submit");
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        await page.ClickAsync("#check-start");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });
    }

    private static async Task AssertChartsDrawnAsync(IPage page, int charts)
    {
        await page.WaitForFunctionAsync($"() => window.Chart && document.querySelectorAll('canvas[data-track-chart]').length === {charts} && [...document.querySelectorAll('canvas[data-track-chart]')].every(c => Chart.getChart(c))");
        // Each chart's figures are in a table too (the tiers' one shown, the others for screen readers only).
        Assert.Equal(charts, await page.Locator("table[data-chart-table], table[data-table=tiers]").CountAsync());
    }

    private static async Task AuditAsync(IPage page, int width, string name, StringBuilder problems)
    {
        var result = await page.RunAxe(BrowserHost.AxeRules);
        foreach (var violation in result.Violations.Where(v => v.Impact is "serious" or "critical"))
        {
            problems.AppendLine($"{name}: {violation.Impact} {violation.Id}: {violation.Help}");
            foreach (var node in violation.Nodes.Take(5))
            {
                problems.AppendLine($"    {node.Html}");
            }
        }

        if (width < 600 && await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") is var scrollWidth && scrollWidth > width)
        {
            problems.AppendLine($"{name} is {scrollWidth} px wide on a {width} px screen");
        }

        await BrowserHost.ScreenshotAsync(page, name);
    }
}
