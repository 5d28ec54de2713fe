using Microsoft.AspNetCore.Identity;

namespace ClvPortal.Web.Identity;

/// <summary>
/// A portal account, stored as one document in the <c>users</c> collection: Identity's own fields
/// (camelCase, <c>_id</c> a GUID string) plus roles, claims, external logins and tokens embedded
/// as arrays, so one read loads everything a sign-in needs.
/// </summary>
public sealed class PortalUser : IdentityUser
{
    /// <summary>Role names as created (e.g. "Admin"); role claims use them verbatim.</summary>
    public List<string> Roles { get; set; } = [];

    public List<PortalUserClaim> Claims { get; set; } = [];

    public List<PortalUserLogin> Logins { get; set; } = [];

    /// <summary>Authenticator key, recovery codes and other per-user tokens.</summary>
    public List<PortalUserToken> Tokens { get; set; } = [];
}

public sealed record PortalUserClaim(string Type, string Value);

public sealed record PortalUserLogin(string LoginProvider, string ProviderKey, string? ProviderDisplayName);

public sealed class PortalUserToken
{
    public required string LoginProvider { get; init; }

    public required string Name { get; init; }

    public string? Value { get; set; }
}
