using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Core.Models;
using ClvPortal.Web.Data;
using ClvPortal.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MongoDB.Driver;

namespace ClvPortal.Tests.Browser;

/// <summary>The results pages in a real browser, on an analysis written straight into the database.</summary>
[Trait("Category", "Browser")]
public sealed class ResultsBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task ResultsPages_SignedUpUser_DrawChartsSortExportShareAndLogOut()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var email = await SignUpAsync(page);
        var uploadId = await SeedForAsync(email, customers: 300);

        await page.GotoAsync($"/analyses/{uploadId}/results");
        await WalkThroughResultsAsync(host, page, uploadId, customers: 300);
    }

    [Fact]
    public async Task Status_ProgressAnswers503ThreeTimes_SaysReconnectingThenReachesTheResults()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var email = await SignUpAsync(page);
        var uploadId = await SeedForAsync(email, customers: 20);
        var uploads = host.Factory.Services.GetRequiredService<PortalDb>().Uploads;
        await uploads.UpdateOneAsync(u => u.Id == uploadId, Builders<UploadDocument>.Update
            .Set(u => u.Status, UploadStatus.Running).Set(u => u.Stage, "Cleaning").Set(u => u.Percent, 40));

        // A proxy in trouble: the first three polls get 503, later ones reach the portal.
        var failed = 0;
        await page.RouteAsync(url => url.Contains("handler=Progress", StringComparison.Ordinal), async route =>
        {
            if (Interlocked.Increment(ref failed) <= 3)
            {
                await route.FulfillAsync(new() { Status = 503, ContentType = "text/html", Body = "<h1>503 Service Unavailable</h1>" });
            }
            else
            {
                await route.ContinueAsync();
            }
        });
        await page.GotoAsync($"/Analyses/Status?id={uploadId}");
        // Screen readers hear the progress: the bar carries its value, the stage sits in a polite live region.
        Assert.Equal("40", await page.GetAttributeAsync("[role=progressbar]", "aria-valuenow"));
        Assert.Equal("polite", await page.GetAttributeAsync("#status-stage", "aria-live"));

        await page.WaitForSelectorAsync("#status-reconnecting", new() { State = WaitForSelectorState.Visible, Timeout = 10_000 });
        await uploads.UpdateOneAsync(u => u.Id == uploadId, Builders<UploadDocument>.Update
            .Set(u => u.Status, UploadStatus.Succeeded).Set(u => u.Stage, "Done").Set(u => u.Percent, 100));
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 60_000 });

        Assert.True(failed > 3, $"only {failed} progress requests");
        Assert.Equal(host.BaseUrl + ClvPortal.Web.Analyses.AnalysisLinks.Results(uploadId), page.Url);
    }

    /// <summary>From a results page: charts drawn, sort the table, both exports, a share link signed out, log out.</summary>
    internal static async Task WalkThroughResultsAsync(BrowserHost host, IPage page, Guid uploadId, int customers)
    {
        await AssertChartsDrawnAsync(page);
        await AssertCohortsDrawnAsync(page, "cohorts-1280");
        // "about $X" when the backtest gave a range, "$X" when the figures could not be tested.
        Assert.Matches(@"^(about )?\$[\d,]+$", (await page.TextContentAsync("[data-kpi=clv-total]"))!.Trim());
        Assert.NotEmpty((await page.TextContentAsync("[data-reliability] .reliability-label"))!.Trim());
        await BrowserHost.ScreenshotAsync(page, "results-1280");

        // Customer table: sort by the chance each is still a customer, highest first.
        await page.ClickAsync("text=Customer table");
        await page.ClickAsync("a.sort-link[data-sort=Alive]");
        await page.WaitForURLAsync("**sort=Alive**");
        var alive = await page.EvalOnSelectorAllAsync<double[]>(
            "table[data-table=customers] tbody tr td:nth-child(3)", "cells => cells.map(c => Number(c.dataset.value))");
        Assert.Equal(Math.Min(50, customers), alive.Length);
        Assert.Equal(alive.OrderByDescending(v => v), alive);
        await BrowserHost.ScreenshotAsync(page, "customers-1280");

        // Exports: both download, named after the upload.
        var csv = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-export=csv]"));
        Assert.Equal($"clv-results-{uploadId:N}.csv", csv.SuggestedFilename);
        var csvLines = (await File.ReadAllTextAsync((await csv.PathAsync())!, Encoding.UTF8)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(customers + 1, csvLines.Length);
        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-export=xlsx]"));
        Assert.Equal($"clv-results-{uploadId:N}.xlsx", xlsx.SuggestedFilename);
        using (var workbook = new XLWorkbook(File.OpenRead((await xlsx.PathAsync())!)))
        {
            Assert.Equal(customers + 1, workbook.Worksheet("Customers").LastRowUsed().RowNumber());
        }

        // A filtered view: the win-back list, exported as shown.
        await page.ClickAsync(".list-tabs a[data-list=win-back]");
        await page.WaitForURLAsync("**list=win-back**");
        var listed = int.Parse((await page.GetAttributeAsync("[data-total]", "data-total"))!, System.Globalization.CultureInfo.InvariantCulture);
        var shownIds = await page.EvalOnSelectorAllAsync<string[]>("table[data-table=customers] tbody tr td:first-child a", "links => links.map(a => a.textContent.trim())");
        await BrowserHost.ScreenshotAsync(page, "customers-winback-1280");
        var winBack = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-export=csv]"));
        Assert.Equal($"clv-results-{uploadId:N}-win-back.csv", winBack.SuggestedFilename);
        var winBackLines = (await File.ReadAllTextAsync((await winBack.PathAsync())!, Encoding.UTF8)).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("email,customer_id,name,country,predicted_clv,historic_clv,total_clv,churn_probability,churn_risk,expected_next_order,", winBackLines[0], StringComparison.Ordinal);
        Assert.Equal(listed + 1, winBackLines.Length);
        var riskColumn = Array.IndexOf(winBackLines[0].Split(','), "churn_risk");
        Assert.All(winBackLines.Skip(1), line => Assert.Equal("high", line.Split(',')[riskColumn]));
        // Every customer the page shows is in the file (ids here hold no commas or quotes).
        Assert.Subset(winBackLines.Skip(1).Select(line => line.Split(',')[1]).ToHashSet(), shownIds.ToHashSet());

        // Optional columns, on the VIP list (never empty: the top 5% by predicted value): add the expected next order.
        await page.ClickAsync(".list-tabs a[data-list=vip]");
        await page.WaitForURLAsync("**list=vip**");
        await page.ClickAsync(".column-picker summary");
        await page.CheckAsync("input[name=col][value=next-order]");
        await page.ClickAsync("form.table-filters button[type=submit]");
        await page.WaitForSelectorAsync("th[data-col=next-order]");
        Assert.Contains("list=vip", page.Url, StringComparison.Ordinal);
        await BrowserHost.ScreenshotAsync(page, "customers-vip-columns-1280");

        // Customer page.
        await page.ClickAsync("table[data-table=customers] tbody tr:first-child td:first-child a");
        await page.WaitForSelectorAsync("[data-table=summary]");
        await BrowserHost.ScreenshotAsync(page, "customer-1280");

        // Share: a link that works for someone signed out.
        await page.GotoAsync($"/analyses/{uploadId}/shares");
        await page.SelectOptionAsync("#Input_ExpiryDays", "7");
        await page.ClickAsync("text=Create link");
        var link = await page.InputValueAsync("#new-link");
        await BrowserHost.ScreenshotAsync(page, "shares-1280");
        await using (var stranger = await host.NewContextAsync())
        {
            var shared = await stranger.NewPageAsync();
            var response = await shared.GotoAsync(link);
            Assert.Equal(200, response!.Status);
            await AssertChartsDrawnAsync(shared);
            Assert.Equal(0, await shared.Locator("[data-export], #logout, #login").CountAsync());
            await BrowserHost.ScreenshotAsync(shared, "shared-1280");
        }

        // Log out: the results are no longer reachable.
        await page.ClickAsync("#logout");
        await page.GotoAsync($"/analyses/{uploadId}/results");
        Assert.Contains("/Identity/Account/Login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResultsPages_PhoneWidth_FitTheScreen()
    {
        await using var context = await host.NewContextAsync(width: 390);
        var page = await context.NewPageAsync();
        var email = await SignUpAsync(page);
        var uploadId = await SeedForAsync(email, customers: 120);
        // A big shop's figures: the longest a KPI tile has to show.
        await host.Factory.Services.GetRequiredService<PortalDb>().AnalysisResults.UpdateOneAsync(r => r.Id == uploadId, Builders<AnalysisResultDocument>.Update
            .Set(r => r.TotalRevenue, 1_216_034_567.89).Set(r => r.HeadlineClvTotal, 987_654_321.5)
            .Set(r => r.HeadlineClvLow, 876_543_210).Set(r => r.HeadlineClvHigh, 1_098_765_432));

        foreach (var (path, name) in new[] { ($"/analyses/{uploadId}/results", "results-390"), ($"/analyses/{uploadId}/customers", "customers-390"), ($"/analyses/{uploadId}/customers?list=win-back&col=email&col=next-order", "customers-winback-390"), ($"/analyses/{uploadId}/customers/C000001", "customer-390") })
        {
            await page.GotoAsync(path);
            if (name == "results-390")
            {
                await AssertChartsDrawnAsync(page);
                // Every figure whole: wrapped or smaller, never cut to "$1,216,0…".
                var cut = await page.EvaluateAsync<string[]>(
                    "() => [...document.querySelectorAll('.kpi-value')].filter(v => v.scrollWidth > v.clientWidth).map(v => v.textContent)");
                Assert.Empty(cut);
                Assert.Equal("$1,216,034,568", (await page.TextContentAsync("[data-kpi=revenue]"))!.Trim());
                await AssertCohortsDrawnAsync(page, "cohorts-390");
                // The sample data ends on 18 December 2025.
                Assert.Contains("December 2025 has data for only 18 of its 31 days", await page.TextContentAsync("[data-note=partial-month]"), StringComparison.Ordinal);
            }

            // Nothing wider than the phone: tables scroll inside their cards instead.
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{name} is {overflow}px wider than the screen");
            await BrowserHost.ScreenshotAsync(page, name);
        }
    }

    /// <summary>Words a marketing manager should not meet outside the collapsed "How these numbers were made".</summary>
    private static readonly string[] StatisticsWords = ["Gini", "Spearman", "MAPE", "MAE", "BG/NBD", "Gamma-Gamma", "P(alive)", "XGBoost", "recency", "(T)", "α", "normaliz", "normalis"];

    [Theory]
    [InlineData(ForecastReliability.Tested, "good")]
    [InlineData(ForecastReliability.PoorlyCalibrated, "rough")]
    [InlineData(ForecastReliability.NoSignal, "unreliable")]
    public async Task Results_BacktestedAnalysis_LeadWithPlainSentenceRangeAndBadge_InternalsCollapsed(ForecastReliability reliability, string badge)
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var email = await SignUpAsync(page);
        var uploadId = await SeedForAsync(email, customers: 120);
        var results = host.Factory.Services.GetRequiredService<PortalDb>().AnalysisResults;
        var total = (await results.Find(r => r.Id == uploadId).FirstAsync()).HeadlineClvTotal;
        var (low, high) = (Math.Round(total * 0.8), Math.Round(total * 1.3));
        await results.UpdateOneAsync(r => r.Id == uploadId, Builders<AnalysisResultDocument>.Update
            .Set(r => r.Reliability, reliability).Set(r => r.HeadlineClvLow, low).Set(r => r.HeadlineClvHigh, high)
            .Set(r => r.ReliabilityMessage, "Tested on your own data: the model used here was 7 % over the real total."));

        await page.GotoAsync($"/analyses/{uploadId}/results");
        await AssertChartsDrawnAsync(page);

        var sentence = (await page.InnerTextAsync("[data-headline]")).Trim();
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"We expect your 120 customers to spend about ${total:N0} over the next 12 months, likely ${low:N0}–${high:N0}."), sentence);
        Assert.Equal(badge, await page.GetAttributeAsync("[data-badge]", "data-badge"));
        Assert.Equal("Reliability: " + badge, (await page.InnerTextAsync("[data-badge]")).Trim());
        // A message stored by an older analysis reads with the page's percent style.
        Assert.Contains("7% over", await page.InnerTextAsync("[data-reliability]"), StringComparison.Ordinal);

        // The internals are there, collapsed: none of their words on the screen until the reader opens them.
        var internals = page.Locator("details[data-section=internals]");
        Assert.False(await internals.EvaluateAsync<bool>("d => d.open"));
        Assert.False(await page.Locator("table[data-table=backtest]").IsVisibleAsync());
        var screen = await page.InnerTextAsync("main");
        Assert.All(StatisticsWords, word => Assert.DoesNotContain(word, screen, StringComparison.OrdinalIgnoreCase));
        await BrowserHost.ScreenshotAsync(page, $"results-lead-{badge}-1280");

        await page.ClickAsync("details[data-section=internals] > summary");
        Assert.True(await page.Locator("table[data-table=backtest]").IsVisibleAsync());
        Assert.Contains("Normalized Gini", await page.TextContentAsync("table[data-table=backtest]"), StringComparison.Ordinal);

        // The customer table and a customer's page speak plainly too.
        await page.GotoAsync($"/analyses/{uploadId}/customers");
        var table = await page.InnerTextAsync("main");
        Assert.Contains("Chance still a customer", table, StringComparison.OrdinalIgnoreCase);
        Assert.All(StatisticsWords, word => Assert.DoesNotContain(word, table, StringComparison.OrdinalIgnoreCase));
        await page.GotoAsync($"/analyses/{uploadId}/customers/C000001");
        var customer = await page.InnerTextAsync("main");
        Assert.Contains("Customer since", customer, StringComparison.Ordinal);
        Assert.All(StatisticsWords, word => Assert.DoesNotContain(word, customer, StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotMatch(@"\b1 orders\b|-\$0\.00", customer);
    }

    /// <summary>Two years of purchases: every customer buys 1-8 times, amounts with cents.</summary>
    internal static byte[] GeneratedCsv(int customers)
    {
        var random = new Random(5);
        var csv = new StringBuilder("CustomerID,InvoiceDate,Amount\n");
        for (var c = 1; c <= customers; c++)
        {
            var purchases = random.Next(1, 9);
            for (var p = 0; p < purchases; p++)
            {
                var day = new DateOnly(2024, 1, 1).AddDays(random.Next(0, 730));
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"K{c:D5},{day:yyyy-MM-dd},{random.Next(500, 20000) / 100.0:0.00}\n");
            }
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    internal static async Task<string> SignUpAsync(IPage page)
    {
        var email = Web.PortalWebFactory.NewEmail("browser");
        await page.GotoAsync("/Identity/Account/Register");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", Web.PortalWebFactory.DefaultPassword);
        await page.FillAsync("#Input_ConfirmPassword", Web.PortalWebFactory.DefaultPassword);
        await page.ClickAsync("#registerSubmit");
        // Attached, not visible: on a phone the navigation is collapsed.
        await page.WaitForSelectorAsync("#logout", new() { State = WaitForSelectorState.Attached });
        return email;
    }

    private async Task<Guid> SeedForAsync(string email, int customers)
    {
        using var scope = host.Factory.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email);
        var (uploadId, _) = await ResultsTestData.SeedAsync(host.Factory, user!.Id, customers);
        return uploadId;
    }

    /// <summary>The cohort chart has a solid line for each cohort in its table, and the table and summary say the same in words.</summary>
    internal static async Task AssertCohortsDrawnAsync(IPage page, string screenshot)
    {
        var section = page.Locator("[data-section=cohorts]");
        var lines = await page.EvaluateAsync<int>(
            "() => Chart.getChart(document.querySelector('canvas[data-chart=cohorts]')).data.datasets.filter(d => !d.label.endsWith('(predicted)') && d.data.some(v => v !== null)).length");
        var rows = await section.Locator("table[data-table=cohorts] tbody tr").CountAsync();
        Assert.True(rows > 0, "the cohort table is empty");
        Assert.Equal(rows, lines);
        Assert.StartsWith("Customers who first bought in ", (await section.Locator("[data-summary=cohorts]").TextContentAsync())!.Trim(), StringComparison.Ordinal);
        await section.ScrollIntoViewIfNeededAsync();
        await section.ScreenshotAsync(new() { Path = Path.Combine(BrowserHost.ScreenshotDirectory, screenshot + ".png") });
    }

    /// <summary>
    /// Every canvas on the page holds a Chart.js chart with data points, and has a text alternative a screen
    /// reader can read: a data table right after its box with a row per label, or an element it is described by.
    /// </summary>
    internal static async Task AssertChartsDrawnAsync(IPage page)
    {
        await page.WaitForFunctionAsync("() => window.Chart && document.querySelectorAll('canvas[data-chart]').length > 0");
        var points = await page.EvaluateAsync<int[]>(
            "() => [...document.querySelectorAll('canvas[data-chart]')].map(c => { const chart = Chart.getChart(c); return chart ? chart.data.datasets.reduce((n, d) => n + d.data.length, 0) : 0; })");
        Assert.True(points.Length >= 7, $"only {points.Length} charts on the page");
        Assert.All(points, p => Assert.True(p > 0, "a chart has no data"));
        var withoutText = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('canvas[data-chart]')].filter(c => {
                const described = c.getAttribute('aria-describedby');
                if (described && document.getElementById(described)?.textContent.trim()) return false;
                const next = (c.closest('.chart-box') || c).nextElementSibling;
                const chart = Chart.getChart(c);
                return !(next && next.tagName === 'TABLE' && chart && next.tBodies[0]?.rows.length === chart.data.labels.length);
            }).map(c => c.dataset.chart)
            """);
        Assert.True(withoutText.Length == 0, "charts without a text alternative: " + string.Join(", ", withoutText));
    }
}
