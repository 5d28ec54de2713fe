namespace ClvPortal.Web.Setup;

public static class IdentitySetup
{
    public static void AddPortalIdentity(this WebApplicationBuilder builder)
    {
        // Filled in by the Identity-on-MongoDB work.
        builder.Services.AddAuthentication();
        builder.Services.AddAuthorization();
    }
}
