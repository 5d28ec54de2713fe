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
}
