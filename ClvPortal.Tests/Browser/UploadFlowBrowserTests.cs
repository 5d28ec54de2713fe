using Microsoft.Playwright;

namespace ClvPortal.Tests.Browser;

/// <summary>The whole journey in a real browser, on its own host: sign up, upload, watch the analysis, then the results.</summary>
public sealed class UploadFlowBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task FullFlow_SignUpUploadWatchProgress_ResultsSortExportShareLogOut()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);

        await page.GotoAsync("/Analyses/New");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "transactions.csv", MimeType = "text/csv", Buffer = ResultsBrowserTests.GeneratedCsv(customers: 150) });
        await page.ClickAsync("#upload-submit");
        await page.WaitForURLAsync("**/Analyses/Status**", new() { Timeout = 120_000 });
        await BrowserHost.ScreenshotAsync(page, "status-1280");
        // The status page turns into the results page when the job is done.
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });
        var uploadId = Guid.Parse(System.Text.RegularExpressions.Regex.Match(page.Url, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").Value);

        await ResultsBrowserTests.WalkThroughResultsAsync(host, page, uploadId, customers: 150);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task NoSignalFile_ResultsSayNoBetterThanChanceAndMarkTiersUnreliable(int width)
    {
        await using var context = await host.NewContextAsync(width);
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);

        await page.GotoAsync("/Analyses/New");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "random-purchases.csv", MimeType = "text/csv", Buffer = PurchasesDealtAtRandomCsv() });
        await page.ClickAsync("#upload-submit");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });

        Assert.Equal("NoSignal", await page.GetAttributeAsync("[data-reliability]", "data-reliability"));
        var banner = (await page.TextContentAsync("[data-reliability]"))!;
        Assert.Contains("no better than chance", banner, StringComparison.Ordinal);
        Assert.StartsWith("Not reliable", (await page.TextContentAsync("[data-note=tiers-unreliable]"))!.Trim(), StringComparison.Ordinal);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"the page is {overflow}px wider than the screen");
        await BrowserHost.ScreenshotAsync(page, $"results-no-signal-{width}");
    }

    /// <summary>
    /// 2,000 customers who each buy once in the first month, then 24,000 purchases each dealt to a customer at
    /// random over two years with amounts drawn independently: nobody's past says anything about their future.
    /// </summary>
    private static byte[] PurchasesDealtAtRandomCsv()
    {
        var random = new Random(11);
        var start = new DateOnly(2023, 1, 1);
        var csv = new System.Text.StringBuilder("CustomerID,InvoiceDate,Amount\n");
        void Purchase(int customer, int day) => csv.Append(System.Globalization.CultureInfo.InvariantCulture,
            $"R{customer:D5},{start.AddDays(day):yyyy-MM-dd},{20 + (random.NextDouble() * 60):0.00}\n");
        for (var c = 0; c < 2_000; c++)
        {
            Purchase(c, random.Next(30));
        }

        for (var k = 0; k < 24_000; k++)
        {
            Purchase(random.Next(2_000), 30 + random.Next(700));
        }

        return System.Text.Encoding.UTF8.GetBytes(csv.ToString());
    }
}
