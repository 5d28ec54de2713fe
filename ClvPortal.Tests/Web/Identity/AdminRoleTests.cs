using System.Net;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Cli;
using ClvPortal.Web.Identity;
using MongoDB.Bson;
using MongoDB.Driver;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Identity;

/// <summary>
/// Who becomes Admin (the job dashboard at /hangfire): an address listed in Portal:AdminEmails only once its
/// owner proves the mailbox, or an account the operator names with grant-admin. Anyone can sign up with a
/// listed address; that alone must give nothing.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AdminRoleTests
{
    [Fact]
    public async Task Register_ListedAdminEmailUnconfirmed_NoAdminRoleAndDashboardForbidden()
    {
        await using var portal = new PortalWebFactory();

        // The attacker signs up with the listed address, which they cannot read, and logs in again for a fresh session.
        using var attacker = await portal.RegisterAndLogInAsync(PortalWebFactory.AdminEmail);
        using (var login = await PortalWebFactory.SubmitLogInAsync(attacker, PortalWebFactory.AdminEmail))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }
        using var dashboard = await attacker.GetAsync("/hangfire");

        Assert.Equal(HttpStatusCode.Forbidden, dashboard.StatusCode);
        Assert.DoesNotContain(PortalRole.Admin, await RolesOfAsync(portal, PortalWebFactory.AdminEmail));
        var home = await PortalWebFactory.GetPageAsync(attacker, "/");
        Assert.Null(home.QuerySelector("a[href='/hangfire']"));
    }

    [Fact]
    public async Task ConfirmEmail_ListedAdminEmailThroughTheSignUpEmailsLink_GrantsAdmin()
    {
        using var smtp = SimpleSmtpServer.Start();
        await using var portal = new PortalWebFactory();
        portal.UseSmtp(smtp.Configuration.Port);
        using var owner = await portal.RegisterAndLogInAsync(PortalWebFactory.AdminEmail);
        Assert.DoesNotContain(PortalRole.Admin, await RolesOfAsync(portal, PortalWebFactory.AdminEmail));

        var confirmation = await EmailTestKit.WaitForEmailAsync(smtp, PortalWebFactory.AdminEmail, m => m.Subject == EmailTestKit.SignUpConfirmationSubject);
        var confirmed = await PortalWebFactory.GetPageAsync(owner, EmailTestKit.PathOfLink(confirmation));
        using var login = await PortalWebFactory.SubmitLogInAsync(owner, PortalWebFactory.AdminEmail);
        using var dashboard = await owner.GetAsync("/hangfire");

        Assert.Contains("Thank you for confirming your email", confirmed.Body?.TextContent, StringComparison.Ordinal);
        Assert.Contains(PortalRole.Admin, await RolesOfAsync(portal, PortalWebFactory.AdminEmail));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
    }

    [Fact]
    public async Task GrantAdminCommand_UnlistedAccount_GetsTheDashboardAndRevokeAdminTakesItBack()
    {
        await using var portal = new PortalWebFactory();
        var email = PortalWebFactory.NewEmail("operator");
        using var client = await portal.RegisterAndLogInAsync(email);
        using (var before = await client.GetAsync("/hangfire"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        var (granted, grantOutput) = await RunAsync("grant-admin", email.ToUpperInvariant(), portal);
        using (var login = await PortalWebFactory.SubmitLogInAsync(client, email))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }
        using (var dashboard = await client.GetAsync("/hangfire"))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }

        var (revoked, _) = await RunAsync("revoke-admin", email, portal);
        using var relogin = await PortalWebFactory.SubmitLogInAsync(client, email);
        using var afterRevoke = await client.GetAsync("/hangfire");

        Assert.True(granted == 0, grantOutput);
        Assert.Contains("is an admin", grantOutput, StringComparison.Ordinal);
        Assert.Equal(0, revoked);
        Assert.Equal(HttpStatusCode.Forbidden, afterRevoke.StatusCode);
        Assert.DoesNotContain(PortalRole.Admin, await RolesOfAsync(portal, email));
    }

    [Fact]
    public async Task GrantAdminCommand_NoSuchAccount_ExitsOneAndSaysSo()
    {
        await using var portal = new PortalWebFactory();
        _ = portal.Services; // the host's start-up creates the database's indexes and roles

        var (exit, output) = await RunAsync("grant-admin", "nobody@example.com", portal);

        Assert.Equal(1, exit);
        Assert.Contains("No account has the email nobody@example.com", output, StringComparison.Ordinal);
    }

    /// <summary>Runs an operator command against <paramref name="portal"/>'s database, as on the server.</summary>
    private static async Task<(int Exit, string Output)> RunAsync(string command, string email, PortalWebFactory portal)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await CommandLine.RunAsync(
            [command, email, "--mongo", Infrastructure.MongoServerFixture.Instance.ConnectionString, "--database", portal.DatabaseName], stdout, stderr);
        return (exit, stdout + "\n" + stderr);
    }

    private static async Task<List<string>> RolesOfAsync(PortalWebFactory portal, string email)
    {
        var user = await portal.Database.GetCollection<BsonDocument>(MongoUserStore.CollectionName)
            .Find(new BsonDocument("normalizedEmail", email.ToUpperInvariant())).SingleAsync();
        return [.. user["roles"].AsBsonArray.Select(r => r.AsString)];
    }

}
