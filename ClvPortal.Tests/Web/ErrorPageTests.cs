using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClvPortal.Tests.Web;

/// <summary>Errors a business user meets speak to them: what happened and what to do, never how the server is set up.</summary>
[Trait("Category", "Integration")]
public sealed class ErrorPageTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Error_Production_SaysWhatToDoWithoutDeveloperText()
    {
        await using var production = new PortalWebFactory { Environment = "Production" };
        using var client = production.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost") });

        var html = await client.GetStringAsync("/Error");

        Assert.Contains("Something went wrong on our side", html, StringComparison.Ordinal);
        Assert.Contains("try again", html, StringComparison.Ordinal);
        foreach (var developerText in new[] { "Development", "ASPNETCORE_ENVIRONMENT", "environment variable", "exception" })
        {
            Assert.DoesNotContain(developerText, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Get_UnknownPageFromABrowser_NotFoundWithAPageThatSaysWhatToDo()
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.SendAsync(BrowserGet("/no-such-page"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("We could not find that page", page.QuerySelector("[data-error-title]")?.TextContent);
        Assert.NotNull(page.QuerySelector("a[href='/Analyses']"));
    }

    [Fact]
    public async Task Get_JobDashboardAsNonAdminFromABrowser_ForbiddenWithAPageThatSaysWhy()
    {
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("notadmin"));

        using var response = await client.SendAsync(BrowserGet("/hangfire"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("This page is not available to your account", page.QuerySelector("[data-error-title]")?.TextContent);
    }

    [Fact]
    public async Task Get_ExportOfUnknownAnalysisFromABrowser_BareNotFoundWithoutHtml()
    {
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("export"));

        using var response = await client.SendAsync(BrowserGet($"/analyses/{Guid.NewGuid()}/export/csv"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_UnknownPageFromAScript_BareNotFoundWithoutHtml()
    {
        using var client = factory.CreatePortalClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no-such-page");
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsStringAsync());
    }

    /// <summary>A GET with the Accept header a browser sends when following a link.</summary>
    internal static HttpRequestMessage BrowserGet(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        return request;
    }
}
