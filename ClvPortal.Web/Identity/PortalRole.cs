using Microsoft.AspNetCore.Identity;

namespace ClvPortal.Web.Identity;

/// <summary>A role, stored in the <c>roles</c> collection.</summary>
public sealed class PortalRole : IdentityRole
{
    /// <summary>May watch and manage background jobs at /hangfire. Granted by <c>Portal:AdminEmails</c>.</summary>
    public const string Admin = "Admin";

    public PortalRole()
    {
    }

    public PortalRole(string roleName) : base(roleName)
    {
    }

    public List<PortalUserClaim> Claims { get; set; } = [];
}
