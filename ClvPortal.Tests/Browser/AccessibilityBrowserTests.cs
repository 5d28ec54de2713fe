using System.Text;
using ClvPortal.Tests.Web.Results;
using ClvPortal.Web.Data;
using ClvPortal.Web.Identity;
using Deque.AxeCore.Playwright;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Browser;

/// <summary>
/// Every portal page a user can reach, checked by axe-core (WCAG 2.1 A and AA rules plus axe's best practices)
/// on a desktop and a phone, in Chromium. Any serious or critical violation fails the walk; every violation,
/// whatever its impact, is printed with the elements it was found on. On the phone, no page may be wider than
/// the screen.
/// </summary>
[Trait("Category", "Browser")]
public sealed class AccessibilityBrowserTests(BrowserHost host, ITestOutputHelper output) : IClassFixture<BrowserHost>
{
    [Theory]
    [InlineData(1280)]
    [InlineData(390)]
    public async Task EveryPage_Axe_NoSeriousOrCriticalViolationAndNothingWiderThanThePhone(int width)
    {
        // The axe engine is injected as a script: the portal's CSP (script-src 'self') would block it.
        await using var context = await host.NewContextAsync(width, bypassCsp: true);
        var page = await context.NewPageAsync();
        var audit = new Audit(page, width, output);

        await audit.CheckAsync("/", "home-signed-out");
        await audit.CheckAsync("/Identity/Account/Register", "register");
        await audit.CheckAsync("/Identity/Account/Login", "login");
        await audit.CheckAsync("/Identity/Account/ForgotPassword", "forgot-password");
        await audit.CheckAsync("/s/not-a-real-token", "share-unavailable");

        var email = await ResultsBrowserTests.SignUpAsync(page);
        await audit.CheckAsync("/", "home-signed-in");
        await audit.CheckAsync("/Identity/Account/Manage", "manage");
        await audit.CheckAsync("/Identity/Account/Manage/Email", "manage-email");
        await audit.CheckAsync("/Identity/Account/Manage/ChangePassword", "manage-password");
        await audit.CheckAsync("/Analyses", "analyses-empty");
        await audit.CheckAsync("/Analyses/New", "new-analysis");

        // An upload waits on the check step (its row then shows "Check columns" on My analyses).
        await page.SetInputFilesAsync("#file", new FilePayload { Name = "transactions.csv", MimeType = "text/csv", Buffer = ResultsBrowserTests.GeneratedCsv(customers: 20) });
        await page.ClickAsync("#upload-submit");
        await page.WaitForURLAsync("**/Analyses/Check**", new() { Timeout = 120_000 });
        await audit.CheckCurrentAsync("check");

        var ownerId = await OwnerIdAsync(email);
        var (uploadId, _) = await ResultsTestData.SeedAsync(host.Factory, ownerId, customers: 120);
        var running = await SeedUploadAsync(ownerId, UploadStatus.Running, u => { u.Stage = "Cleaning"; u.Percent = 40; });
        var failed = await SeedUploadAsync(ownerId, UploadStatus.Failed, u =>
        {
            u.Stage = "Failed";
            u.Error = "The file has no column we could read as a date.";
            u.ErrorWhatToDo = "Add a column with the purchase date and upload the file again.";
        });

        await audit.CheckAsync("/Analyses", "analyses");
        await audit.CheckAsync($"/Analyses/Status?id={running}", "status-running");
        await audit.CheckAsync($"/Analyses/Status?id={failed}", "status-failed");
        await audit.CheckAsync($"/analyses/{uploadId}/results", "results", charts: true);
        await audit.CheckAsync($"/analyses/{uploadId}/customers", "customers");
        await audit.CheckAsync($"/analyses/{uploadId}/customers?p=3", "customers-last-page");
        await audit.CheckAsync($"/analyses/{uploadId}/customers?q=nobody", "customers-no-match");
        await audit.CheckAsync($"/analyses/{uploadId}/customers?list=win-back&col=email&col=total&col=churn&col=next-order", "customers-win-back-columns");
        await audit.CheckAsync($"/analyses/{uploadId}/customers?churn=high", "customers-high-churn");
        await audit.CheckAsync($"/analyses/{uploadId}/customers/C000001", "customer");
        await audit.CheckAsync($"/analyses/{uploadId}/shares", "shares");

        await page.SelectOptionAsync("#Input_ExpiryDays", "7");
        await page.ClickAsync("text=Create link");
        var link = await page.InputValueAsync("#new-link");
        await audit.CheckCurrentAsync("shares-new-link");
        await audit.CheckAsync(link, "share", charts: true);

        // The sample data, analysed for real: its results carry the cohorts and the partial last month.
        await page.GotoAsync("/Analyses/New");
        await page.ClickAsync("#sample-submit");
        await page.WaitForSelectorAsync("[data-kpi=clv-total]", new() { Timeout = 180_000 });
        await ResultsBrowserTests.AssertChartsDrawnAsync(page);
        await audit.CheckCurrentAsync("sample-results");

        await audit.CheckAsync($"/analyses/{Guid.NewGuid()}/results", "not-found");
        await audit.CheckAsync("/Error", "error");

        Assert.True(audit.Failures.Length == 0, $"At {width} px:\n{audit.Failures}");
    }

    [Fact]
    public async Task NewAnalysis_KeyboardReachesTheHiddenFilePicker_DropZoneShowsWhereFocusIs()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        await ResultsBrowserTests.SignUpAsync(page);
        await page.GotoAsync("/Analyses/New");

        const string Outline = "() => getComputedStyle(document.getElementById('drop-zone')).outlineStyle";
        Assert.Equal("none", await page.EvaluateAsync<string>(Outline));
        // Tab through the page as a keyboard user does, until the file input has the focus.
        for (var i = 0; i < 40 && await page.EvaluateAsync<string>("() => document.activeElement?.id") != "file"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("file", await page.EvaluateAsync<string>("() => document.activeElement?.id"));
        Assert.Equal("solid", await page.EvaluateAsync<string>(Outline));
        await BrowserHost.ScreenshotAsync(page, "new-analysis-file-focus-1280");
    }

    private async Task<string> OwnerIdAsync(string email)
    {
        using var scope = host.Factory.Services.CreateScope();
        return (await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(email))!.Id;
    }

    private async Task<Guid> SeedUploadAsync(string ownerId, UploadStatus status, Action<UploadDocument> configure)
    {
        var upload = new UploadDocument
        {
            Id = Guid.NewGuid(),
            OwnerId = ownerId,
            FileName = "orders_export_2025-11-30_with_a_rather_long_name.csv",
            SizeBytes = 3_456_789,
            Status = status,
            CreatedAt = new DateTime(2026, 1, 6, 10, 0, 0, DateTimeKind.Utc),
        };
        configure(upload);
        await host.Factory.Services.GetRequiredService<PortalDb>().Uploads.InsertOneAsync(upload);
        return upload.Id;
    }

    /// <summary>Runs axe on pages of one browser context and keeps what failed.</summary>
    private sealed class Audit(IPage page, int width, ITestOutputHelper output)
    {
        public StringBuilder Failures { get; } = new();

        public async Task CheckAsync(string path, string name, bool charts = false)
        {
            await page.GotoAsync(path);
            if (charts)
            {
                await ResultsBrowserTests.AssertChartsDrawnAsync(page);
            }

            await CheckCurrentAsync(name);
        }

        public async Task CheckCurrentAsync(string name)
        {
            // Collapsed sections hold content too: open them so axe sees it.
            // Then two frames, for the scripts that react to the new layout (scrolling tables get a tab stop).
            await page.EvaluateAsync("""
                () => new Promise(done => {
                    document.querySelectorAll('details').forEach(d => d.open = true);
                    setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(done)), 50);
                })
                """);
            var result = await page.RunAxe(BrowserHost.AxeRules);
            foreach (var violation in result.Violations)
            {
                var line = $"{name} ({page.Url}): {violation.Impact} {violation.Id}: {violation.Help}";
                output.WriteLine(line);
                foreach (var node in violation.Nodes)
                {
                    var why = string.Join("; ", node.Any.Concat(node.All).Concat(node.None).Select(check => check.Message));
                    output.WriteLine($"    {node.Target}: {why}");
                }

                if (violation.Impact is "serious" or "critical")
                {
                    Failures.AppendLine(line);
                    foreach (var node in violation.Nodes.Take(5))
                    {
                        Failures.AppendLine($"    {node.Html}");
                    }
                }
            }

            if (width < 600)
            {
                var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
                if (scrollWidth > width)
                {
                    var wide = await page.EvaluateAsync<string>(
                        "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1).slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.')).join(', ')", width);
                    Failures.AppendLine($"{name} ({page.Url}) is {scrollWidth} px wide on a {width} px screen: {wide}");
                }
            }

            await BrowserHost.ScreenshotAsync(page, $"a11y-{name}-{width}");
        }
    }
}
