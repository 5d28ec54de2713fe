using ClvPortal.Web.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace ClvPortal.Web.Setup;

public static class IdentitySetup
{
    /// <summary>
    /// ASP.NET Core Identity with its default UI (/Identity/Account/Register, Login, Logout, Manage),
    /// users and roles in MongoDB, and the data-protection keys that sign its cookies there too.
    /// </summary>
    public static void AddPortalIdentity(this WebApplicationBuilder builder)
    {
        builder.Services
            .AddDefaultIdentity<PortalUser>(options =>
            {
                // Sign-up sends a confirmation email, but sign-in does not wait for it (a mail outage must not lock
                // people out). Confirming proves the mailbox: password reset emails only go to confirmed addresses
                // (the Identity UI's rule), and only a confirmed address listed in Portal:AdminEmails makes an admin.
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;

                // NIST SP 800-63B favours length over composition; the composition rules are Identity's defaults.
                options.Password.RequiredLength = 10;
                options.Password.RequiredUniqueChars = 4;

                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddRoles<PortalRole>()
            .AddUserStore<MongoUserStore>()
            .AddRoleStore<MongoRoleStore>()
            .AddUserManager<PortalUserManager>()
            .AddSignInManager<PortalSignInManager>();

        // Every Identity UI page that takes a returnUrl goes back to a page of the portal, never to another site.
        builder.Services.Configure<RazorPagesOptions>(options => options.Conventions.AddAreaFolderApplicationModelConvention(
            "Identity", "/", page => page.Filters.Add(new LocalReturnUrlFilter())));

        builder.Services.AddDataProtection().SetApplicationName("ClvPortal");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = new MongoXmlRepository(sp.GetRequiredService<IMongoDatabase>())));

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(PortalRole.Admin, policy => policy.RequireRole(PortalRole.Admin));

        builder.Services.AddHostedService<IdentityStartup>();
    }
}
