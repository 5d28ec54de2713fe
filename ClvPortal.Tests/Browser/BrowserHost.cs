using System.Net;
using ClvPortal.Tests.Web;
using Deque.AxeCore.Commons;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ClvPortal.Tests.Browser;

/// <summary>
/// The portal on a real loopback port (Kestrel, through <see cref="PortalWebFactory"/>) and Debian's Chromium driven
/// by Playwright: no browser download. One per test class.
/// </summary>
public sealed class BrowserHost : IAsyncLifetime
{
    /// <summary>The rules every accessibility check runs: WCAG 2.1 A and AA, and axe's best practices.</summary>
    public static readonly AxeRunOptions AxeRules = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
        ResultTypes = [ResultType.Violations],
    };

    public PortalWebFactory Factory { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright? _playwright;

    /// <summary>Where screenshots go: artifacts/screenshots next to the test assembly.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");

    public async Task InitializeAsync()
    {
        // Listen on a free loopback port through Kestrel's own options: UseKestrel(port) rewrites the
        // server's address list, which fails ("cannot be modified after the server has started") when
        // several test hosts are being built in parallel.
        Factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        Factory.StartServer();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .First().Replace("[::1]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            Headless = true,
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>
    /// A fresh browser context (its own cookies) with a viewport <paramref name="width"/> pixels wide.
    /// <paramref name="bypassCsp"/> lets a test inject a script (the accessibility engine) past the portal's
    /// Content-Security-Policy, which allows only the portal's own scripts.
    /// </summary>
    public Task<IBrowserContext> NewContextAsync(int width = 1280, bool bypassCsp = false) =>
        Browser.NewContextAsync(new() { BaseURL = BaseUrl, ViewportSize = new() { Width = width, Height = width < 600 ? 844 : 900 }, AcceptDownloads = true, BypassCSP = bypassCsp });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Factory.DisposeAsync();
    }
}
