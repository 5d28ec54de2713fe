using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Identity's user manager, plus the portal's admin rule: an account whose email is listed in
/// <c>Portal:AdminEmails</c> becomes Admin only once its owner has proved the mailbox, when the address is
/// confirmed (the link of the sign-up email, or an email change). Signing up with a listed address grants
/// nothing, so nobody can claim an admin address they do not read. Accounts confirmed before the address was
/// listed are promoted at start-up by <see cref="GrantAdminRolesJob"/>; the operator's <c>grant-admin</c>
/// command needs no list.
/// <para>
/// Wrong current passwords on the change-password form count towards lockout like wrong passwords at log-in
/// (Identity does not count them), so someone holding a stolen session cannot guess the password behind it.
/// </para>
/// </summary>
public sealed class PortalUserManager(
    IUserStore<PortalUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<PortalUser> passwordHasher,
    IEnumerable<IUserValidator<PortalUser>> userValidators,
    IEnumerable<IPasswordValidator<PortalUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<PortalUser>> logger,
    IOptions<PortalOptions> portalOptions)
    : UserManager<PortalUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public bool IsConfiguredAdmin(string? email) =>
        email is not null && portalOptions.Value.AdminEmails.Contains(email.Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether <paramref name="user"/> is due the Admin role through <c>Portal:AdminEmails</c>: listed and confirmed.</summary>
    public bool IsDueAdmin(PortalUser user) => user.EmailConfirmed && IsConfiguredAdmin(user.Email);

    public override async Task<IdentityResult> ConfirmEmailAsync(PortalUser user, string token)
    {
        var result = await base.ConfirmEmailAsync(user, token);
        return result.Succeeded ? await GrantConfiguredAdminAsync(user) : result;
    }

    public override async Task<IdentityResult> ChangeEmailAsync(PortalUser user, string newEmail, string token)
    {
        // The token went to the new address, so a successful change proves that mailbox too.
        var result = await base.ChangeEmailAsync(user, newEmail, token);
        return result.Succeeded ? await GrantConfiguredAdminAsync(user) : result;
    }

    public override async Task<IdentityResult> ChangePasswordAsync(PortalUser user, string currentPassword, string newPassword)
    {
        if (await IsLockedOutAsync(user))
        {
            return IdentityResult.Failed(LockedOut());
        }

        var result = await base.ChangePasswordAsync(user, currentPassword, newPassword);
        if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
        {
            await AccessFailedAsync(user);
            if (await IsLockedOutAsync(user))
            {
                return IdentityResult.Failed(LockedOut());
            }
        }
        else if (result.Succeeded)
        {
            await ResetAccessFailedCountAsync(user);
        }

        return result;
    }

    private async Task<IdentityResult> GrantConfiguredAdminAsync(PortalUser user) =>
        IsDueAdmin(user) && !await IsInRoleAsync(user, PortalRole.Admin)
            ? await AddToRoleAsync(user, PortalRole.Admin)
            : IdentityResult.Success;

    private IdentityError LockedOut() => new()
    {
        Code = "LockedOut",
        Description = $"Too many wrong passwords: this account is locked for {Options.Lockout.DefaultLockoutTimeSpan.TotalMinutes:0} minutes. Try again later.",
    };
}
