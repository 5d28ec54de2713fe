using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClvPortal.Tests.Web.Security;

/// <summary>Session and antiforgery cookies cannot be read by script, sent cross-site on a POST, or leak over HTTP in production.</summary>
[Trait("Category", "Integration")]
public sealed class CookieTests
{
    [Fact]
    public async Task Register_Development_AuthCookieHttpOnlyAndLax()
    {
        await using var portal = new PortalWebFactory();
        using var client = portal.CreatePortalClient();

        using var response = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("cookie"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = SetCookie(response, ".AspNetCore.Identity.Application");
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Register_Production_AuthAndAntiforgeryCookiesSecure()
    {
        await using var portal = new ProductionPortal();
        // HTTPS, as behind the production TLS terminator: Secure cookies come back to the server.
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = true,
            BaseAddress = new Uri("https://localhost"),
        });

        using var form = await client.GetAsync("/Identity/Account/Register");
        var antiforgery = SetCookie(form, ".AspNetCore.Antiforgery.");
        using var response = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("prodcookie"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = SetCookie(response, ".AspNetCore.Identity.Application");
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("secure", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", antiforgery, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", antiforgery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Get_ProductionOverPlainHttp_SaysHttpsIsRequiredInsteadOfFailing()
    {
        await using var portal = new ProductionPortal();
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

        using var register = await client.GetAsync("/Identity/Account/Register");
        using var health = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.BadRequest, register.StatusCode);
        Assert.Contains(ClvPortal.Web.Security.HttpsOnly.Message, await register.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Register_ProductionAllowingInsecureHttp_SignsUpOverHttpWithoutSecureCookies()
    {
        await using var portal = new ProductionPortal(allowInsecureHttp: true);
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

        using var response = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("httptrial"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = SetCookie(response, ".AspNetCore.Identity.Application");
        Assert.DoesNotContain("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
    }

    private static string SetCookie(HttpResponseMessage response, string namePrefix) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(namePrefix, StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"No {namePrefix} cookie among: {string.Join(" | ", cookies)}")
            : throw new InvalidOperationException("The response set no cookie.");

    private sealed class ProductionPortal(bool allowInsecureHttp = false) : WebApplicationFactory<Program>
    {
        private readonly PortalWebFactory _settings = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("ConnectionStrings:Mongo", Infrastructure.MongoServerFixture.Instance.ConnectionString);
            builder.UseSetting("Portal:Database", _settings.DatabaseName);
            builder.UseSetting("Portal:Jobs:PollInterval", "00:00:00.200");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Portal:AllowInsecureHttp", allowInsecureHttp ? "true" : "false");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await _settings.DisposeAsync();
        }
    }
}
