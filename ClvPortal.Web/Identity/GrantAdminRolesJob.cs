using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Background job enqueued at every start-up for the accounts listed in <c>Portal:AdminEmails</c>: gives
/// the Admin role to those whose address is confirmed (accounts confirmed later get it at confirmation),
/// and takes it back from a listed account whose address is not confirmed, which an earlier version made
/// Admin at sign-up without proof of the mailbox. Idempotent, so any number of processes may enqueue it.
/// </summary>
public sealed class GrantAdminRolesJob(UserManager<PortalUser> users, IOptions<PortalOptions> options, ILogger<GrantAdminRolesJob> logger)
{
    public async Task RunAsync()
    {
        foreach (var email in options.Value.AdminEmails)
        {
            await ApplyAsync(email.Trim());
        }
    }

    private async Task ApplyAsync(string email)
    {
        // Re-read on a concurrency failure: another process's copy of this job, or the user
        // changing their password, may have updated the document since we read it.
        for (var attempt = 1; ; attempt++)
        {
            var user = await users.FindByEmailAsync(email);
            if (user is null || user.EmailConfirmed == await users.IsInRoleAsync(user, PortalRole.Admin))
            {
                return;
            }

            IdentityResult result;
            if (user.EmailConfirmed)
            {
                result = await users.AddToRoleAsync(user, PortalRole.Admin);
                if (result.Succeeded)
                {
                    logger.LogInformation("Granted the Admin role to {Email} (listed in Portal:AdminEmails, address confirmed).", email);
                    return;
                }
            }
            else
            {
                // A new security stamp ends the sessions that still carry the role.
                result = await users.RemoveFromRoleAsync(user, PortalRole.Admin);
                if (result.Succeeded && (result = await users.UpdateSecurityStampAsync(user)).Succeeded)
                {
                    logger.LogWarning(
                        "Took the Admin role from {Email}: listed in Portal:AdminEmails but the address was never confirmed. "
                        + "Its owner gets it back by confirming the address.", email);
                    return;
                }
            }

            if (attempt == 3)
            {
                // Thrown so Hangfire records the failure and retries later.
                throw new InvalidOperationException(
                    $"Could not update the Admin role of {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
            }
        }
    }
}
