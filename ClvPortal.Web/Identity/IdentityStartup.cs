using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Start-up work for Identity, run by every process before it serves requests: the unique
/// indexes, the Admin role, and a job that promotes already-registered admins. All idempotent,
/// so web and worker processes can start in any order against one database. Runs in the
/// background and retries until MongoDB answers, so a process started before its database starts.
/// </summary>
public sealed class IdentityStartup(
    IMongoDatabase database,
    IServiceScopeFactory scopes,
    IBackgroundJobClient jobs,
    IOptions<PortalOptions> options,
    ILogger<IdentityStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(stoppingToken);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Identity start-up (indexes, Admin role) could not finish yet; retrying in {Delay}", delay);
                await Task.Delay(delay, stoppingToken);
                delay = TimeSpan.FromSeconds(Math.Min(delay.TotalSeconds * 2, 30));
            }
        }
    }

    private async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        await MongoUserStore.EnsureIndexesAsync(database, cancellationToken);
        await MongoRoleStore.EnsureIndexesAsync(database, cancellationToken);

        await using (var scope = scopes.CreateAsyncScope())
        {
            var roles = scope.ServiceProvider.GetRequiredService<RoleManager<PortalRole>>();
            if (!await roles.RoleExistsAsync(PortalRole.Admin))
            {
                // A process starting at the same moment may win the insert; its role is as good as ours.
                var created = await roles.CreateAsync(new PortalRole(PortalRole.Admin));
                if (!created.Succeeded && !await roles.RoleExistsAsync(PortalRole.Admin))
                {
                    throw new InvalidOperationException("Could not create the Admin role: "
                        + string.Join("; ", created.Errors.Select(e => e.Description)));
                }
            }
        }

        if (options.Value.AdminEmails.Count > 0)
        {
            jobs.Enqueue<GrantAdminRolesJob>(job => job.RunAsync());
        }
    }
}
