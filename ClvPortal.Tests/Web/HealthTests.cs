using System.Net;
using System.Net.Sockets;
using ClvPortal.Web.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web;

/// <summary>/healthz tells an orchestrator whether this process can reach MongoDB.</summary>
[Trait("Category", "Integration")]
public sealed class HealthTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    [Fact]
    public async Task Healthz_MongoReachable_Healthy()
    {
        using var client = portal.CreatePortalClient();
        using var response = await client.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CheckHealth_NothingListening_UnhealthyWithinSeconds()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var database = new MongoClient($"mongodb://127.0.0.1:{closedPort}").GetDatabase("unreachable");

        var started = DateTime.UtcNow;
        var result = await new MongoHealthCheck(database).CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "answers well before the driver's 30 s server selection timeout");
    }
}
