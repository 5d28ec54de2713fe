using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Identity's sign-in manager with lockout always on: the default UI's Login page passes
/// <c>lockoutOnFailure: false</c>, and the portal locks an account after
/// <see cref="LockoutOptions.MaxFailedAccessAttempts"/> wrong passwords without forking that page.
/// </summary>
public sealed class PortalSignInManager(
    UserManager<PortalUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<PortalUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<PortalUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<PortalUser> confirmation)
    : SignInManager<PortalUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override Task<SignInResult> PasswordSignInAsync(PortalUser user, string password, bool isPersistent, bool lockoutOnFailure) =>
        base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: true);
}
