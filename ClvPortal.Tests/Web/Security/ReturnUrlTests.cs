using System.Net;

namespace ClvPortal.Tests.Web.Security;

/// <summary>An off-site returnUrl never sends a user to another site, and never breaks log-in, sign-up or log-out.</summary>
[Trait("Category", "Integration")]
public sealed class ReturnUrlTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private const string ManagePage = "/Identity/Account/Manage";

    public static TheoryData<string> OffSite => ["//evil.example", "https://evil.example", "/\\evil.example", "https:evil.example"];

    [Theory]
    [MemberData(nameof(OffSite))]
    public async Task LogIn_OffSiteReturnUrl_SignsInAndLandsOnThePortal(string returnUrl)
    {
        var email = PortalWebFactory.NewEmail("return");
        (await portal.RegisterAndLogInAsync(email)).Dispose();
        using var client = portal.CreatePortalClient();
        var login = "/Identity/Account/Login?returnUrl=" + Uri.EscapeDataString(returnUrl);

        using var response = await PortalWebFactory.PostFormAsync(client, login, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalWebFactory.DefaultPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        using var manage = await client.GetAsync(ManagePage);
        Assert.Equal(HttpStatusCode.OK, manage.StatusCode);
    }

    [Theory]
    [MemberData(nameof(OffSite))]
    public async Task Register_OffSiteReturnUrl_SignsUpAndLandsOnThePortal(string returnUrl)
    {
        using var client = portal.CreatePortalClient();
        var register = "/Identity/Account/Register?returnUrl=" + Uri.EscapeDataString(returnUrl);

        using var response = await PortalWebFactory.PostFormAsync(client, register, new Dictionary<string, string>
        {
            ["Input.Email"] = PortalWebFactory.NewEmail("return"),
            ["Input.Password"] = PortalWebFactory.DefaultPassword,
            ["Input.ConfirmPassword"] = PortalWebFactory.DefaultPassword,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [MemberData(nameof(OffSite))]
    public async Task LogOut_OffSiteReturnUrl_SignsOutAndLandsOnThePortal(string returnUrl)
    {
        using var client = await portal.RegisterAndLogInAsync(PortalWebFactory.NewEmail("return"));

        using var response = await PortalWebFactory.PostFormAsync(client, "/", new Dictionary<string, string>(),
            "/Identity/Account/Logout?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        using var manage = await client.GetAsync(ManagePage);
        Assert.Equal(HttpStatusCode.Redirect, manage.StatusCode);
    }

    [Fact]
    public async Task LogIn_LocalReturnUrl_StillGoesThere()
    {
        var email = PortalWebFactory.NewEmail("return");
        (await portal.RegisterAndLogInAsync(email)).Dispose();
        using var client = portal.CreatePortalClient();

        using var response = await PortalWebFactory.PostFormAsync(client, "/Identity/Account/Login?returnUrl=%2FAnalyses%2FNew", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = PortalWebFactory.DefaultPassword,
        });

        Assert.Equal("/Analyses/New", response.Headers.Location?.OriginalString);
    }
}
