using ClvPortal.Web.Identity;
using ClvPortal.Web.Setup;
using Microsoft.AspNetCore.Identity;
using MongoDB.Driver;

namespace ClvPortal.Web.Cli;

/// <summary>
/// <c>grant-admin &lt;email&gt;</c> and <c>revoke-admin &lt;email&gt;</c>: the operator's way to make an account
/// Admin (the /hangfire dashboard) or take it back, run on the server against the portal's MongoDB. The
/// database comes from the portal's own configuration (<c>appsettings.json</c> beside the binary, then the
/// <c>ConnectionStrings__Mongo</c> and <c>Portal__Database</c> environment variables), or from
/// <c>--mongo</c> and <c>--database</c>.
/// </summary>
public static class AdminCommand
{
    public const string GrantHelp = "grant-admin EMAIL [--mongo URI] [--database NAME]: give an existing account the Admin role (the /hangfire dashboard)";

    public const string RevokeHelp = "revoke-admin EMAIL [--mongo URI] [--database NAME]: take the Admin role away and end that account's sessions";

    public static Task<int> RunGrantAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, grant: true, stdout, stderr);

    public static Task<int> RunRevokeAsync(string[] args, TextWriter stdout, TextWriter stderr) => RunAsync(args, grant: false, stdout, stderr);

    private static async Task<int> RunAsync(string[] args, bool grant, TextWriter stdout, TextWriter stderr)
    {
        var parsed = CliArguments.Parse(args).AllowOnly("mongo", "database");
        if (parsed.Positionals.Count != 1)
        {
            parsed.Errors.Add("Give exactly one email address.");
        }

        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine(string.Join(Environment.NewLine, parsed.Errors));
            stderr.WriteLine("Usage: " + (grant ? GrantHelp : RevokeHelp));
            return 2;
        }

        var email = parsed.Positionals[0].Trim();
        await using var services = Services(parsed);
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<PortalUserManager>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            stderr.WriteLine($"No account has the email {email}. Its owner signs up first, then run this again.");
            return 1;
        }

        if (grant)
        {
            await EnsureAdminRoleAsync(scope.ServiceProvider.GetRequiredService<RoleManager<PortalRole>>());
        }

        var result = grant
            ? await users.IsInRoleAsync(user, PortalRole.Admin) ? IdentityResult.Success : await users.AddToRoleAsync(user, PortalRole.Admin)
            : await RevokeAsync(users, user);
        if (!result.Succeeded)
        {
            stderr.WriteLine($"Could not change the Admin role of {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            return 1;
        }

        stdout.WriteLine(grant
            ? $"{email} is an admin. The role takes effect at that account's next log-in."
            : $"{email} is no longer an admin; its sessions end within 30 minutes (at their next security check).");
        if (grant && !user.EmailConfirmed && users.IsConfiguredAdmin(email))
        {
            stdout.WriteLine($"Note: {email} is listed in Portal:AdminEmails but its address is unconfirmed, and start-up takes Admin "
                + "from such accounts. Have its owner confirm the address, or remove it from Portal:AdminEmails.");
        }

        return 0;
    }

    private static async Task<IdentityResult> RevokeAsync(PortalUserManager users, PortalUser user)
    {
        if (!await users.IsInRoleAsync(user, PortalRole.Admin))
        {
            return IdentityResult.Success;
        }

        var removed = await users.RemoveFromRoleAsync(user, PortalRole.Admin);
        // A new security stamp makes the cookie validator end sessions that still carry the role.
        return removed.Succeeded ? await users.UpdateSecurityStampAsync(user) : removed;
    }

    private static async Task EnsureAdminRoleAsync(RoleManager<PortalRole> roles)
    {
        // The portal creates the role at start-up; a database the portal has not run on yet lacks it.
        if (!await roles.RoleExistsAsync(PortalRole.Admin))
        {
            await roles.CreateAsync(new PortalRole(PortalRole.Admin));
        }
    }

    /// <summary>Identity's user and role managers on the portal's stores, without the web host.</summary>
    private static ServiceProvider Services(CliArguments parsed)
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var connectionString = parsed.Text("mongo") ?? configuration.GetConnectionString("Mongo") ?? "mongodb://localhost:27017";
        var portal = PortalOptions.From(configuration);
        var database = parsed.Text("database") ?? portal.Database;

        DataSetup.RegisterConventions();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOptions<PortalOptions>().Configure(o => o.AdminEmails = portal.AdminEmails);
        services.AddSingleton<IMongoClient>(_ => new MongoClient(connectionString));
        services.AddSingleton(sp => sp.GetRequiredService<IMongoClient>().GetDatabase(database));
        services.AddIdentityCore<PortalUser>()
            .AddRoles<PortalRole>()
            .AddUserStore<MongoUserStore>()
            .AddRoleStore<MongoRoleStore>()
            .AddUserManager<PortalUserManager>();
        return services.BuildServiceProvider();
    }
}
