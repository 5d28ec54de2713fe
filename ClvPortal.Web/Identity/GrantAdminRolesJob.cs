using ClvPortal.Web.Setup;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Background job enqueued at every start-up: gives the Admin role to existing accounts whose
/// email is listed in <c>Portal:AdminEmails</c> (accounts created later get it at sign-up).
/// Idempotent, so any number of processes may enqueue it.
/// </summary>
public sealed class GrantAdminRolesJob(UserManager<PortalUser> users, IOptions<PortalOptions> options, ILogger<GrantAdminRolesJob> logger)
{
    public async Task RunAsync()
    {
        foreach (var email in options.Value.AdminEmails)
        {
            await GrantAsync(email.Trim());
        }
    }

    private async Task GrantAsync(string email)
    {
        // Re-read on a concurrency failure: another process's copy of this job, or the user
        // changing their password, may have updated the document since we read it.
        for (var attempt = 1; ; attempt++)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null || await users.IsInRoleAsync(user, PortalRole.Admin))
            {
                return;
            }

            var result = await users.AddToRoleAsync(user, PortalRole.Admin);
            if (result.Succeeded)
            {
                logger.LogInformation("Granted the Admin role to {Email} (listed in Portal:AdminEmails).", email);
                return;
            }
            if (attempt == 3)
            {
                // Thrown so Hangfire records the failure and retries later.
                throw new InvalidOperationException(
                    $"Could not grant Admin to {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }
}
