using System.Net;
using AngleSharp.Html.Parser;

namespace ClvPortal.Tests.Web.Security;

/// <summary>The browser is told to run only the portal's own scripts and never to frame or sniff its pages.</summary>
[Trait("Category", "Integration")]
public sealed class SecurityHeadersTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Get_HomePage_CspAllowsOnlyOwnScriptsWithoutInline()
    {
        using var client = portal.CreatePortalClient();
        using var response = await client.GetAsync("/");

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        var scriptSrc = Directive(csp, "script-src");
        Assert.Equal("script-src 'self'", scriptSrc);
        Assert.DoesNotContain("unsafe-inline", Directive(csp, "style-src"), StringComparison.Ordinal);
        Assert.Equal("object-src 'none'", Directive(csp, "object-src"));
        Assert.Equal("base-uri 'self'", Directive(csp, "base-uri"));
        Assert.Equal("form-action 'self'", Directive(csp, "form-action"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/Identity/Account/Login")]
    [InlineData("/lib/bootstrap/dist/css/bootstrap.min.css")]
    [InlineData("/healthz")]
    public async Task Get_AnyResponse_NoSniffAndNeverFramed(string path)
    {
        using var client = portal.CreatePortalClient();
        using var response = await client.GetAsync(path);

        Assert.Equal("nosniff", string.Join(",", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("frame-ancestors 'none'", Directive(string.Join(";", response.Headers.GetValues("Content-Security-Policy")), "frame-ancestors"));
        Assert.Equal("strict-origin-when-cross-origin", string.Join(",", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Get_MainFlowPages_NoInlineScriptOrEventHandler()
    {
        using var signedIn = await portal.RegisterAndLogInAsync(PortalWebFactory.NewEmail("csp"));
        using var anonymous = portal.CreatePortalClient();
        var pages = new (HttpClient Client, string Path)[]
        {
            (anonymous, "/"),
            (anonymous, "/Identity/Account/Login"),
            (anonymous, "/Identity/Account/Register"),
            (anonymous, "/Identity/Account/ForgotPassword"),
            (signedIn, "/"),
            (signedIn, "/Analyses"),
            (signedIn, "/Analyses/New"),
            (signedIn, "/Identity/Account/Manage"),
        };

        var offences = new List<string>();
        foreach (var (client, path) in pages)
        {
            var page = await PortalWebFactory.GetPageAsync(client, path);
            foreach (var script in page.Scripts)
            {
                var dataIsland = string.Equals(script.Type, "application/json", StringComparison.OrdinalIgnoreCase);
                if (string.IsNullOrEmpty(script.Source) && !dataIsland && !string.IsNullOrWhiteSpace(script.Text))
                {
                    offences.Add($"{path}: inline <script type=\"{script.Type}\"> {script.Text.Trim()[..Math.Min(60, script.Text.Trim().Length)]}");
                }
            }
            foreach (var element in page.All)
            {
                offences.AddRange(element.Attributes
                    .Where(a => a.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase) || a.Name == "style")
                    .Select(a => $"{path}: <{element.LocalName} {a.Name}=\"{a.Value}\">"));
            }
            offences.AddRange(page.QuerySelectorAll("style").Select(_ => $"{path}: <style> block"));
        }

        Assert.True(offences.Count == 0, "The CSP would block or the page relies on:\n" + string.Join("\n", offences));
    }

    [Fact]
    public async Task Get_HangfireDashboardAsAnonymous_StillNeverFramed()
    {
        using var client = portal.CreatePortalClient();
        using var response = await client.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("frame-ancestors 'none'", Directive(string.Join(";", response.Headers.GetValues("Content-Security-Policy")), "frame-ancestors"));
    }

    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/jobs/enqueued")]
    [InlineData("/hangfire/recurring")]
    [InlineData("/hangfire/servers")]
    public async Task Get_HangfireDashboardAsAdmin_RendersWithoutInlineScript(string path)
    {
        using var admin = await AdminAsync();
        using var response = await admin.GetAsync(path);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("script-src 'self'", Directive(string.Join(";", response.Headers.GetValues("Content-Security-Policy")), "script-src"));
        Assert.NotEmpty(page.Scripts);
        Assert.All(page.Scripts, s => Assert.False(string.IsNullOrEmpty(s.Source), $"inline script on {path}: {s.Text}"));
    }

    private HttpClient? _admin;

    // One admin per class: the admin address can register only once in the class's database.
    private async Task<HttpClient> AdminAsync()
    {
        return _admin ??= await portal.RegisterAdminAsync();
    }

    private static string Directive(string csp, string name) =>
        csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .SingleOrDefault(d => d.StartsWith(name + " ", StringComparison.Ordinal)) ?? $"(no {name})";
}
