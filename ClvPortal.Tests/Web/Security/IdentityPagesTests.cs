using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// The account pages as a visitor of a production portal sees them: every script from the portal itself (its
/// Content-Security-Policy blocks any other host, so a CDN script is a broken form check), and no text left
/// from the Identity UI template.
/// </summary>
[Trait("Category", "Integration")]
public sealed class IdentityPagesTests : IAsyncLifetime
{
    private static readonly string[] TemplateText =
    [
        "external authentication services",
        "go.microsoft.com",
        "See this article",
        "Use another service",
        "Use a local account",
    ];

    private readonly PortalWebFactory _portal = new();
    private WebApplicationFactory<Program> _production = null!;

    public Task InitializeAsync()
    {
        // The Identity UI switches to its CDN scripts outside Development; the attack ran on this configuration.
        _portal.Settings["Portal:AllowInsecureHttp"] = "true";
        _production = _portal.WithWebHostBuilder(builder => builder.UseEnvironment("Production"));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _production.DisposeAsync();
        await _portal.DisposeAsync();
    }

    [Theory]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/Identity/Account/Register")]
    [InlineData("/Identity/Account/ForgotPassword")]
    [InlineData("/Identity/Account/ResendEmailConfirmation")]
    public async Task AccountPage_Anonymous_ScriptsOnlyFromThePortalAndNoTemplateText(string path)
    {
        using var client = _production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        AssertOwnPage(await PortalWebFactory.GetPageAsync(client, path), path);
    }

    [Theory]
    [InlineData("/Identity/Account/Manage")]
    [InlineData("/Identity/Account/Manage/Email")]
    [InlineData("/Identity/Account/Manage/ChangePassword")]
    [InlineData("/Identity/Account/Manage/DeletePersonalData")]
    public async Task ManagePage_SignedIn_ScriptsOnlyFromThePortalAndNoTemplateText(string path)
    {
        using var client = _production.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        using (var signUp = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("pages")))
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, signUp.StatusCode);
        }

        AssertOwnPage(await PortalWebFactory.GetPageAsync(client, path), path);
    }

    [Fact]
    public async Task Register_Page_SaysTheConfirmationEmailIsNotNeededToUseThePortal()
    {
        using var client = _production.CreateClient();

        var page = await PortalWebFactory.GetPageAsync(client, "/Identity/Account/Register");

        Assert.Contains("use the portal as soon as the account exists", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    private static void AssertOwnPage(IHtmlDocument page, string path)
    {
        var sources = page.Scripts.Select(s => s.GetAttribute("src")).OfType<string>().ToList();
        Assert.Contains(sources, s => s.Contains("jquery.validate", StringComparison.Ordinal));
        Assert.All(sources, src => Assert.True(
            src.StartsWith('/') && !src.StartsWith("//", StringComparison.Ordinal), $"{path} loads a script from another host: {src}"));
        var text = page.Body!.InnerHtml;
        Assert.All(TemplateText, t => Assert.DoesNotContain(t, text, StringComparison.OrdinalIgnoreCase));
    }
}
