using ClvPortal.Web.Identity;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Bson;
using MongoDB.Driver;
using ClvPortal.Tests.Infrastructure;

namespace ClvPortal.Tests.Web.Jobs;

/// <summary>Jobs enqueued by the app run on a worker process and change MongoDB.</summary>
[Trait("Category", "Integration")]
public sealed class BackgroundJobTests
{
    [Fact]
    public async Task GrantAdminRolesJob_WorkerStartsWithNewAdminEmail_ExistingAccountBecomesAdmin()
    {
        // A web-only process: users sign up there, and it runs no jobs.
        await using var web = new PortalWebFactory { Settings = { ["Portal:Roles"] = "web" } };
        var email = PortalWebFactory.NewEmail("later-admin");
        using (var signedUp = await web.RegisterAndLogInAsync(email))
        {
            await web.ConfirmEmailAsync(signedUp, email);
        }
        Assert.Empty(web.Services.GetRequiredService<JobStorage>().GetMonitoringApi().Servers());
        Assert.Empty(await RolesOfAsync(web, email));

        // A worker process of the same fleet, started with that (confirmed) email listed as an admin: its
        // start-up enqueues GrantAdminRolesJob through IBackgroundJobClient and its Hangfire server runs it.
        await using var worker = PortalWebFactory.SharingDatabaseOf(web);
        worker.Settings["Portal:Roles"] = "worker";
        worker.AdminEmails.Add(email);
        var monitoring = worker.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        await Poll.UntilAsync(async () => (await RolesOfAsync(web, email)).Contains(PortalRole.Admin), TimeSpan.FromSeconds(30),
            "the Admin role in the users document");
        await Poll.UntilAsync(() => Task.FromResult(monitoring.SucceededJobs(0, 50).Any(j => j.Value.Job?.Type == typeof(GrantAdminRolesJob))),
            TimeSpan.FromSeconds(10), "Hangfire to record GrantAdminRolesJob as succeeded");
        Assert.Single(monitoring.Servers());
    }

    [Fact]
    public async Task GrantAdminRolesJob_ListedAccountAdminButUnconfirmed_LosesTheRole()
    {
        // What an earlier version left behind: Admin given at sign-up to whoever registered a listed address.
        await using var web = new PortalWebFactory { Settings = { ["Portal:Roles"] = "web" } };
        var email = PortalWebFactory.NewEmail("claimed");
        using var claimer = await web.RegisterAndLogInAsync(email);
        await web.Database.GetCollection<BsonDocument>(MongoUserStore.CollectionName).UpdateOneAsync(
            new BsonDocument("normalizedEmail", email.ToUpperInvariant()),
            new BsonDocument("$addToSet", new BsonDocument("roles", PortalRole.Admin)));

        await using var worker = PortalWebFactory.SharingDatabaseOf(web);
        worker.Settings["Portal:Roles"] = "worker";
        worker.AdminEmails.Add(email);
        _ = worker.Services;

        await Poll.UntilAsync(async () => !(await RolesOfAsync(web, email)).Contains(PortalRole.Admin), TimeSpan.FromSeconds(30),
            "the Admin role to leave the users document");
    }

    private static async Task<List<string>> RolesOfAsync(PortalWebFactory portal, string email)
    {
        var user = await portal.Database.GetCollection<BsonDocument>(MongoUserStore.CollectionName)
            .Find(new BsonDocument("normalizedEmail", email.ToUpperInvariant())).SingleAsync();
        return [.. user["roles"].AsBsonArray.Select(r => r.AsString)];
    }
}
