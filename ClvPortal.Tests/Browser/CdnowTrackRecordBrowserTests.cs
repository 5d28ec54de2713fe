using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Browser;

/// <summary>
/// CDNOW (Fader, Hardie &amp; Lee 2005) as a shop would send it: the purchases to 30 September 1997, then the whole
/// file to 30 June 1998, both into the business "CDNOW" through the upload page. The track record the second
/// analysis links is read off the page and checked against CDNOW_master.txt itself, summed with plain LINQ.
/// </summary>
[Trait("Category", "Browser")]
public sealed partial class CdnowTrackRecordBrowserTests(BrowserHost host, ITestOutputHelper output) : IClassFixture<BrowserHost>
{
    private static readonly DateOnly EarlierEnd = new(1997, 9, 30);
    private static readonly DateOnly LaterEnd = new(1998, 6, 30);
    private static readonly CultureInfo Dollars = CultureInfo.GetCultureInfo("en-US");

    [CdnowFact]
    public async Task TwoCdnowUploads_TrackRecordPage_ShowsWhatTheEarlierCustomersSpentInTheFile()
    {
        var lines = File.ReadAllLines(TestData.CdnowPath);
        var rows = lines.Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(f => f.Length == 4)
            .Select(f => (Customer: f[0], Date: DateOnly.ParseExact(f[1], "yyyyMMdd", CultureInfo.InvariantCulture), Amount: double.Parse(f[3], CultureInfo.InvariantCulture)))
            .ToList();
        // Oracle: what the customers of the earlier file spent from 1 October 1997 to 30 June 1998.
        var earlierCustomers = rows.Where(r => r.Date <= EarlierEnd).Select(r => r.Customer).ToHashSet(StringComparer.Ordinal);
        var actual = rows.Where(r => r.Date > EarlierEnd && r.Date <= LaterEnd && earlierCustomers.Contains(r.Customer)).Sum(r => r.Amount);
        Assert.Equal(776_961, Math.Round(actual));
        // All 23,570 customers made their first purchase in the first quarter of 1997 (FHL 2005).
        Assert.Equal(23_570, earlierCustomers.Count);

        var earlierFile = Path.Combine(Path.GetTempPath(), $"CDNOW_to_1997-09-30_{Guid.NewGuid():N}.txt");
        await File.WriteAllLinesAsync(earlierFile, lines.Take(1).Concat(lines.Skip(1).Where(l =>
            l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var date, _, _] && string.CompareOrdinal(date, "19970930") <= 0)));
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);
        try
        {
            await UploadAsync(page, earlierFile, "CDNOW_to_1997-09-30.txt", newBusiness: "CDNOW");
        }
        finally
        {
            File.Delete(earlierFile);
        }

        await UploadAsync(page, TestData.CdnowPath, "CDNOW_master.txt", newBusiness: null);

        // The newer results link the check of the earlier predictions.
        Assert.Equal("Did our earlier predictions come true?", (await page.TextContentAsync("[data-section=track-records] h2"))!.Trim());
        await page.ClickAsync("[data-section=track-records] a");
        await page.WaitForSelectorAsync("[data-headline]");

        var headline = Normalize(await page.TextContentAsync("[data-headline]"));
        output.WriteLine(headline);
        var money = actual.ToString("C0", Dollars);
        Assert.Contains($"they spent {money}", headline, StringComparison.Ordinal);
        Assert.Contains("9 of the 12 months", Normalize(await page.TextContentAsync("[data-pro-rata]")), StringComparison.Ordinal);

        // The difference in words agrees with the predicted total the page shows: its sign and its size.
        var expected = Headline().Match(headline);
        Assert.True(expected.Success, headline);
        var predicted = double.Parse(expected.Groups["predicted"].Value, NumberStyles.Currency, Dollars);
        var percent = Math.Round(Math.Abs(actual - predicted) / predicted * 100);
        Assert.Contains(actual > predicted ? $"{percent:0}% more than expected" : $"{percent:0}% less than expected", headline, StringComparison.Ordinal);
        Assert.Contains("23,570 customers", headline, StringComparison.Ordinal);

        // The tiers share out the same customers and the same spending.
        var tiers = await page.Locator("[data-table=tiers] tbody tr").AllInnerTextsAsync();
        var tierCells = tiers.Select(t => t.Split('\t').Select(c => c.Trim()).ToArray()).ToList();
        tierCells.ForEach(t => output.WriteLine(string.Join(" | ", t)));
        Assert.Equal(23_570, tierCells.Sum(t => int.Parse(t[1], NumberStyles.Number, Dollars)));
        Assert.Equal(actual, tierCells.Sum(t => double.Parse(t[3], NumberStyles.Currency, Dollars)), tolerance: tierCells.Count * 0.5);
        output.WriteLine(Normalize(await page.TextContentAsync("[data-section=churn]")));
        Assert.False(await page.IsVisibleAsync("[data-ranking]"), "the churn ranking's explanation waits in the folded section");
        await ShootAsync(page, "cdnow-track-record", "[data-section=how-checked] summary");
        output.WriteLine(Normalize(await page.TextContentAsync("[data-section=how-checked]")));

        await page.ClickAsync("nav.crumbs >> text=Business");
        await page.WaitForSelectorAsync("#business-analyses");
        Assert.Equal("CDNOW", (await page.TextContentAsync("[data-business-name]"))!.Trim());
        var check = Normalize(await page.TextContentAsync("#business-analyses tbody tr:first-child [data-checked]"));
        output.WriteLine(check);
        Assert.Contains($"{percent:0}% {(actual > predicted ? "more" : "less")}", check, StringComparison.Ordinal);
        Assert.Contains("(9 of 12 months so far)", check, StringComparison.Ordinal);
        await ShootAsync(page, "cdnow-business");
    }

    /// <summary>Uploads a file through the upload page, starts it on the check step with what the page detected, waits for the results.</summary>
    private async Task UploadAsync(IPage page, string path, string name, string? newBusiness)
    {
        var clock = Stopwatch.StartNew();
        await page.GotoAsync("/Analyses/New");
        if (newBusiness is not null)
        {
            await page.SelectOptionAsync("#BusinessId", "new");
            await page.FillAsync("#BusinessName", newBusiness);
        }
        else
        {
            Assert.Equal("CDNOW", await page.EvalOnSelectorAsync<string>("#BusinessId", "s => s.options[s.selectedIndex].text"));
        }

        await page.SetInputFilesAsync("#file", new FilePayload { Name = name, MimeType = "text/plain", Buffer = await File.ReadAllBytesAsync(path) });
        await page.ClickAsync("#upload-submit");
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        await page.ClickAsync("#check-start");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 300_000 });
        output.WriteLine($"{name}: results {clock.Elapsed.TotalSeconds:0.0} s after opening the upload page");
    }

    /// <summary>Full-page screenshots at 1280 and 390 px; on the phone nothing may be wider than the screen.</summary>
    /// <param name="open">What to click before each screenshot (a folded section), if anything.</param>
    private static async Task ShootAsync(IPage page, string name, string? open = null)
    {
        foreach (var (width, height) in new[] { (1280, 900), (390, 844) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ReloadAsync();
            await page.WaitForFunctionAsync("() => window.Chart && [...document.querySelectorAll('canvas[data-track-chart]')].every(c => Chart.getChart(c))");
            if (open is not null)
            {
                await page.ClickAsync(open);
            }

            await BrowserHost.ScreenshotAsync(page, $"{name}-{width}");
            var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{name} is {overflow}px wider than a {width}px screen");
            // A table that scrolls sideways inside its card hides its last columns: none of these may.
            var scrolling = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('.table-responsive')].filter(e => e.scrollWidth > e.clientWidth).map(e => e.querySelector('table').dataset.table || e.querySelector('table').id)");
            Assert.True(scrolling.Length == 0, $"{name} at {width}px: {string.Join(", ", scrolling)} scroll sideways");
        }
    }

    private static string Normalize(string? text) => Whitespace().Replace(text ?? "", " ").Trim();

    [GeneratedRegex(@"we expected (?<predicted>\$[\d,]+)")]
    private static partial Regex Headline();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
