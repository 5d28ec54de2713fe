using System.Net;
using System.Net.Sockets;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Identity;
using MongoDB.Driver;
using Xunit.Abstractions;

namespace ClvPortal.Tests.Web.Security;

/// <summary>A process started before its database still starts, says it is unhealthy, and recovers by itself.</summary>
[Trait("Category", "Integration")]
public sealed class MongoStartupTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_MongoDownThenUp_StartsUnhealthyThenRecoversWithoutRestart()
    {
        var port = FreePort();
        await using var portal = new PortalWebFactory();
        portal.Settings["ConnectionStrings:Mongo"] = $"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=1000&connectTimeoutMS=1000";

        using var client = portal.CreatePortalClient();
        using (var down = await client.GetAsync("/healthz"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("Unhealthy", await down.Content.ReadAsStringAsync());
        }
        using (var home = await client.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        }

        using var mongo = MongoServerFixture.StartTestServer(port);
        var started = DateTime.UtcNow;
        await Poll.UntilAsync(
            async () =>
            {
                using var health = await client.GetAsync("/healthz");
                return health.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(60),
            "/healthz to turn healthy after MongoDB came up");
        var recovery = DateTime.UtcNow - started;
        output.WriteLine($"/healthz healthy {recovery.TotalSeconds:0.0} s after MongoDB came up");

        var email = PortalWebFactory.NewEmail("late");
        using var registered = await PortalWebFactory.SubmitRegisterAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var users = mongo.Database(portal.DatabaseName).GetCollection<PortalUser>(MongoUserStore.CollectionName);
        Assert.Equal(1, await users.CountDocumentsAsync(u => u.NormalizedEmail == email.ToUpperInvariant()));
        Assert.True(recovery < TimeSpan.FromSeconds(30), $"healthy {recovery.TotalSeconds:0.0} s after MongoDB came up");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
