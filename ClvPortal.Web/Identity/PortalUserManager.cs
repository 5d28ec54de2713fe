using ClvPortal.Web.Setup;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Identity's user manager, plus one rule: an account whose email is listed in
/// <c>Portal:AdminEmails</c> gets the Admin role the moment it is created, so the sign-in that
/// follows registration already carries it. Accounts listed later are promoted at start-up by
/// <see cref="GrantAdminRolesJob"/>.
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

    public override async Task<IdentityResult> CreateAsync(PortalUser user)
    {
        var result = await base.CreateAsync(user);
        return result.Succeeded && IsConfiguredAdmin(user.Email)
            ? await AddToRoleAsync(user, PortalRole.Admin)
            : result;
    }
}
