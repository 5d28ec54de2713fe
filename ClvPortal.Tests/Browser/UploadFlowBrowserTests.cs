using System.Text;
using ClvPortal.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MongoDB.Driver;

namespace ClvPortal.Tests.Browser;

/// <summary>The whole journey in a real browser, on its own host: sign up, upload, check the columns, watch the analysis, then the results.</summary>
[Trait("Category", "Browser")]
public sealed class UploadFlowBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task FullFlow_SignUpUploadCheckColumnsWatchProgress_ResultsSortExportShareLogOut()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);

        await page.GotoAsync("/Analyses/New");
        await BrowserHost.ScreenshotAsync(page, "new-1280");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "transactions.csv", MimeType = "text/csv", Buffer = WithNetAmount(ResultsBrowserTests.GeneratedCsv(customers: 150)) });
        await page.ClickAsync("#upload-submit");

        // The check step: detected columns and the first rows; the user takes the net amount instead of the gross one.
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        Assert.Equal("Amount", await page.InputValueAsync("#Input_Amount"));
        Assert.Equal(5, await page.Locator("#preview-table tbody tr").CountAsync());
        await page.SelectOptionAsync("#Input_Amount", "Net amount");
        Assert.Equal("Amount", (await page.TextContentAsync("#preview-table th[data-column='Net amount'] .role-badges"))!.Trim());
        Assert.Equal("", (await page.TextContentAsync("#preview-table th[data-column='Amount'] .role-badges"))!.Trim());
        await BrowserHost.ScreenshotAsync(page, "check-1280");
        await page.ClickAsync("#check-start");

        await page.WaitForURLAsync("**/Analyses/Status**", new() { Timeout = 120_000 });
        await BrowserHost.ScreenshotAsync(page, "status-1280");
        // The status page turns into the results page when the job is done.
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });
        var uploadId = Guid.Parse(System.Text.RegularExpressions.Regex.Match(page.Url, "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}").Value);
        var analysis = await host.Factory.Services.GetRequiredService<PortalDb>().AnalysisResults.Find(a => a.Id == uploadId).FirstAsync();
        Assert.Equal("Net amount", analysis.File.Mapping.Amount);
        Assert.Equal(0, await page.Locator("#sample-notice").CountAsync());

        await ResultsBrowserTests.WalkThroughResultsAsync(host, page, uploadId, customers: 150);
    }

    [Fact]
    public async Task PhoneWidth_UploadCheckAndSampleData_FitTheScreenAndTheSampleIsLabelled()
    {
        await using var context = await host.NewContextAsync(width: 390);
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);

        await page.GotoAsync("/Analyses/New");
        await AssertFitsAsync(page, "new-390");
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "transactions.csv", MimeType = "text/csv", Buffer = WithNetAmount(ResultsBrowserTests.GeneratedCsv(customers: 20)) });
        await page.ClickAsync("#upload-submit");
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        await AssertFitsAsync(page, "check-390");

        // A wrong choice (the customer id's column as the date too) is refused on the page, before anything runs.
        await page.SelectOptionAsync("#Input_Date", "CustomerID");
        await page.ClickAsync("#check-start");
        await page.WaitForSelectorAsync("#check-problem");
        Assert.Contains("The column \"CustomerID\" is chosen for both the customer id and the purchase date.", await page.TextContentAsync("#check-problem"), StringComparison.Ordinal);
        await AssertFitsAsync(page, "check-problem-390");

        // A new user without a file: one click to a full dashboard of sample data.
        await page.GotoAsync("/Analyses/New");
        await page.ClickAsync("#sample-submit");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });
        await ResultsBrowserTests.AssertChartsDrawnAsync(page);
        Assert.Contains("Sample data.", await page.TextContentAsync("#sample-notice"), StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "sample-results-390");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ScreenshotDirectory, "sample-results-390-top.png") });
        await page.GotoAsync("/Analyses");
        Assert.Equal(1, await page.Locator("[data-sample]").CountAsync());
        await BrowserHost.ScreenshotAsync(page, "analyses-sample-390");
    }

    /// <summary>The file with a "Net amount" column (the amount without 20% VAT) after the gross "Amount".</summary>
    private static byte[] WithNetAmount(byte[] csv)
    {
        var lines = Encoding.UTF8.GetString(csv).TrimEnd('\n').Split('\n');
        var text = new StringBuilder(lines[0] + ",Net amount\n");
        foreach (var line in lines.Skip(1))
        {
            var gross = double.Parse(line[(line.LastIndexOf(',') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{line},{gross / 1.2:0.00}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    /// <summary>Nothing wider than the phone (wide tables scroll inside their cards), then a screenshot.</summary>
    private static async Task AssertFitsAsync(IPage page, string name)
    {
        await BrowserHost.ScreenshotAsync(page, name);
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"{name} is {overflow}px wider than the screen");
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
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        await page.ClickAsync("#check-start");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });

        Assert.Equal("NoSignal", await page.GetAttributeAsync("[data-reliability]", "data-reliability"));
        var banner = (await page.TextContentAsync("[data-reliability]"))!;
        Assert.Contains("no better than chance", banner, StringComparison.Ordinal);
        Assert.StartsWith("Not reliable", (await page.TextContentAsync("[data-note=tiers-unreliable]"))!.Trim(), StringComparison.Ordinal);
        await AssertFitsAsync(page, $"results-no-signal-{width}");
    }

    /// <summary>
    /// 2,000 customers who each buy once in the first month, then 24,000 purchases each dealt to a customer at
    /// random over two years with amounts drawn independently: nobody's past says anything about their future.
    /// </summary>
    private static byte[] PurchasesDealtAtRandomCsv()
    {
        var random = new Random(11);
        var start = new DateOnly(2023, 1, 1);
        var csv = new StringBuilder("CustomerID,InvoiceDate,Amount\n");
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

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
