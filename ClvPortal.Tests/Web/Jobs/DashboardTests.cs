using System.Net;

namespace ClvPortal.Tests.Web.Jobs;

/// <summary>/hangfire is for admins only.</summary>
[Trait("Category", "Integration")]
public sealed class DashboardTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Dashboard_Anonymous_RedirectsToLogin()
    {
        using var client = portal.CreatePortalClient();
        using var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/Identity/Account/Login?ReturnUrl=%2Fhangfire", response.Headers.Location?.PathAndQuery);
    }

    [Fact]
    public async Task Dashboard_SignedInNonAdmin_Forbidden()
    {
        using var client = await portal.RegisterAndLogInAsync(PortalWebFactory.NewEmail());
        using var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Dashboard_Admin_ShowsJobs()
    {
        using var client = await portal.RegisterAdminAsync();
        using var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ClvPortal jobs", await response.Content.ReadAsStringAsync());
        var home = await PortalWebFactory.GetPageAsync(client, "/");
        Assert.NotNull(home.QuerySelector("a[href='/hangfire']"));
    }
}
