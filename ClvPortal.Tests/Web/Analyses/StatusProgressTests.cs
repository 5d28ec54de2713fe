using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// The JSON the status page polls answers its errors as problem JSON, never an HTML page, so status.js can
/// tell "try again" (5xx) from "stop" (401, 404).
/// </summary>
[Trait("Category", "Integration")]
public sealed class StatusProgressTests(PortalWebFactory factory) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Progress_UnknownAnalysis_NotFoundAsProblemJson()
    {
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("progress"));

        using var response = await client.SendAsync(ProgressRequest(Guid.NewGuid()));

        await AssertProblemAsync(response, HttpStatusCode.NotFound, "This analysis no longer exists.");
    }

    [Fact]
    public async Task Progress_DatabaseUnreachable_ServiceUnavailableAsProblemJson()
    {
        // The same portal, whose uploads collection lives on a server that does not answer (users still sign in).
        var unreachable = new MongoClient(new MongoClientSettings
        {
            Server = new MongoServerAddress("127.0.0.1", ClosedPort()),
            ServerSelectionTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(1),
        }).GetDatabase(factory.DatabaseName);
        using var broken = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(
            services => services.AddSingleton(new PortalDb(unreachable))));
        using var client = broken.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = true });
        using (var registered = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("outage")))
        {
            Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        }

        using var response = await client.SendAsync(ProgressRequest(Guid.NewGuid()));

        await AssertProblemAsync(response, HttpStatusCode.ServiceUnavailable, "The progress cannot be read right now.");
    }

    [Fact]
    public async Task Progress_SignedOutScript_UnauthorizedInsteadOfTheLogInPage()
    {
        using var client = factory.CreatePortalClient();

        using var response = await client.SendAsync(ProgressRequest(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    /// <summary>The request status.js sends.</summary>
    private static HttpRequestMessage ProgressRequest(Guid uploadId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, AnalysisLinks.Status(uploadId) + "&handler=Progress");
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");
        return request;
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string title)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
