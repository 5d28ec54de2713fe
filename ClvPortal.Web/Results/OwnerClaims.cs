using System.Security.Claims;

namespace ClvPortal.Web.Results;

public static class OwnerClaims
{
    /// <summary>The Identity user id that results are scoped to (the NameIdentifier claim Identity issues).</summary>
    public static string OwnerId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The page requires a signed-in user; [Authorize] should have stopped this request.");
}
