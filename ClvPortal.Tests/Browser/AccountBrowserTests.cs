using ClvPortal.Tests.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ClvPortal.Tests.Browser;

/// <summary>Sign-up, log-out and log-in as a person does it: in Chromium, through the layout's links.</summary>
public sealed class AccountBrowserTests
{
    [Fact]
    public async Task RegisterLogoutLogin_InChromium_NavigationShowsWhoIsSignedIn()
    {
        await using var portal = new PortalWebFactory();
        portal.UseKestrel(0);
        portal.StartServer();
        var baseUrl = portal.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var email = PortalWebFactory.NewEmail("browser");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            Headless = true,
            ExecutablePath = "/usr/bin/chromium",
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync();

        await page.GotoAsync(baseUrl);
        await page.ClickAsync("#register");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", PortalWebFactory.DefaultPassword);
        await page.FillAsync("#Input_ConfirmPassword", PortalWebFactory.DefaultPassword);
        await page.ClickAsync("#registerSubmit");
        Assert.Equal(email, (await page.TextContentAsync("#manage"))?.Trim());

        await page.ClickAsync("#logout");
        await page.WaitForSelectorAsync("#login");

        await page.ClickAsync("#login");
        await page.FillAsync("#Input_Email", email);
        await page.FillAsync("#Input_Password", PortalWebFactory.DefaultPassword);
        await page.ClickAsync("#login-submit");
        Assert.Equal(email, (await page.TextContentAsync("#manage"))?.Trim());
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppContext.BaseDirectory, "signed-in.png") });
    }
}
