using System.Security.Claims;

namespace ClvPortal.Web.Data;

/// <summary>
/// The signed-in user as the owner of uploads, results and share links. Every page reads the owner through
/// <see cref="Id"/>, and every query of an owner's data filters through <see cref="Owned"/>.
/// </summary>
public static class Owner
{
    /// <summary>The Identity user id (the name-identifier claim Identity issues) that everything a user stores is scoped to.</summary>
    public static string Id(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("The page requires a signed-in user; [Authorize] should have stopped this request.");

    /// <summary>The user's email: Identity adds it as a claim; the user name is the email in the default UI.</summary>
    public static string? Email(ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.Email) ?? (user.Identity?.Name is { } name && name.Contains('@', StringComparison.Ordinal) ? name : null);
}
