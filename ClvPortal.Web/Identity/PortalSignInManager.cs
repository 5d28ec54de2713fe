using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Identity's sign-in manager with two changes to password log-in.
/// <list type="bullet">
/// <item>Lockout always on: the default UI's Login page passes <c>lockoutOnFailure: false</c>, and the portal
/// locks an account after <see cref="LockoutOptions.MaxFailedAccessAttempts"/> wrong passwords without
/// forking that page.</item>
/// <item>An unknown address costs the same password hash as a known one. Identity answers it at once, so the
/// time of a wrong log-in (a hash of about 100 ms against a few ms) told whether the account exists.</item>
/// </list>
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
    private static readonly PortalUser NoOne = new() { Id = "no-account", UserName = "no-account" };

    // Hashed once per process with the portal's own hasher, so verifying against it takes a real verification's time.
    private static string? s_noOnesHash;

    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            var hasher = UserManager.PasswordHasher;
            s_noOnesHash ??= hasher.HashPassword(NoOne, Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(NoOne, s_noOnesHash, password);
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: true);
    }

    public override Task<SignInResult> PasswordSignInAsync(PortalUser user, string password, bool isPersistent, bool lockoutOnFailure) =>
        base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure: true);
}
