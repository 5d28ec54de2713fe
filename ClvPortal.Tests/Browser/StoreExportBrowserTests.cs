using System.Text;
using ClvPortal.Tests.Core.Ingest;
using ClvPortal.Tests.Web.Analyses;
using Microsoft.Playwright;

namespace ClvPortal.Tests.Browser;

/// <summary>A Shopify export in pounds uploaded and checked through the browser: the results speak pounds, on a desktop and on a phone.</summary>
[Trait("Category", "Browser")]
public sealed class StoreExportBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task UploadAndCheck_ShopifyExportInPounds_ResultsShowPoundsOnDesktopAndPhone()
    {
        var orders = StoreExportFlowTests.Orders();
        var expectedRevenue = orders.Where(o => o.Status != "voided").Sum(o => o.Total - o.Refunded);
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);

        await page.GotoAsync("/Analyses/New");
        var csv = Encoding.UTF8.GetBytes(StoreExportFiles.ShopifyCsv(orders, currency: "GBP"));
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "orders_export.csv", MimeType = "text/csv", Buffer = csv });
        await page.ClickAsync("#upload-submit");

        // The check step names the export and comes with its columns chosen: the order total, not a line item's price.
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        Assert.Contains("Shopify orders export", await page.TextContentAsync("#check-export"), StringComparison.Ordinal);
        Assert.Equal("Total", await page.InputValueAsync("#Input_Amount"));
        Assert.Equal("", await page.InputValueAsync("#Input_UnitPrice"));
        Assert.Contains("GBP", await page.TextContentAsync("#currency-reason"), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "shopify-check-1280");
        await page.ClickAsync("#check-start");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });

        Assert.Equal("£" + expectedRevenue.ToString("N0", System.Globalization.CultureInfo.InvariantCulture), (await page.TextContentAsync("[data-kpi=revenue]"))!.Trim());
        Assert.Contains("£", await page.TextContentAsync("[data-kpi=clv-total]"), StringComparison.Ordinal);
        Assert.Contains("Shopify orders export", await page.TextContentAsync("[data-file=export]"), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "shopify-results-1280");
        await ScreenshotFileSectionAsync(page, "shopify-file-1280");
        var resultsUrl = page.Url;

        await page.GotoAsync("/Analyses");
        await BrowserHost.ScreenshotAsync(page, "shopify-analyses-1280");

        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync(resultsUrl);
        await page.WaitForSelectorAsync("[data-kpi=clv-total]");
        await BrowserHost.ScreenshotAsync(page, "shopify-results-390");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ScreenshotDirectory, "shopify-results-390-top.png") });
        await ScreenshotFileSectionAsync(page, "shopify-file-390");
    }

    /// <summary>"How the file was read and cleaned" alone: the full page is too tall to read at a glance.</summary>
    private static Task ScreenshotFileSectionAsync(IPage page, string name) =>
        page.Locator("h2.section-title:has-text('How the file was read') + div").ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ScreenshotDirectory, name + ".png") });
}
