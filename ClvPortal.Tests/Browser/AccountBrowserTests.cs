using ClvPortal.Tests.Web;

namespace ClvPortal.Tests.Browser;

/// <summary>Sign-up, log-out and log-in as a person does it: in Chromium, through the layout's links.</summary>
[Trait("Category", "Browser")]
public sealed class AccountBrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task RegisterLogoutLogin_InChromium_NavigationShowsWhoIsSignedIn()
    {
        var email = PortalWebFactory.NewEmail("browser");
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
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
        await BrowserHost.ScreenshotAsync(page, "signed-in");
    }
}
