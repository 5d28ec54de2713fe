using System.Security.Claims;

namespace ClvPortal.Web.Analyses;

/// <summary>The signed-in user as the owner of uploads: every query of this feature filters on <see cref="Id"/>.</summary>
public static class Owner
{
    /// <summary>The Identity user id (the name-identifier claim), or null when nobody is signed in.</summary>
    public static string? Id(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    /// <summary>The user's email: Identity adds it as a claim; the user name is the email in the default UI.</summary>
    public static string? Email(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? (user.Identity?.Name is { } name && name.Contains('@', StringComparison.Ordinal) ? name : null);
}
