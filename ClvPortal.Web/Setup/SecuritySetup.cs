using ClvPortal.Web.Security;

namespace ClvPortal.Web.Setup;

public static class SecuritySetup
{
    /// <summary>
    /// Security headers on every response, hardened auth and antiforgery cookies, and a rate limit
    /// on the account forms (<c>Portal:RateLimits</c>). The middleware goes first in the pipeline
    /// through a startup filter, so Program.cs keeps one line for all of it.
    /// </summary>
    public static void AddPortalSecurity(this WebApplicationBuilder builder)
    {
        // Secure everywhere but on a developer's plain-HTTP machine and the in-memory test server.
        var secure = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

        builder.Services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = secure;
            // Lax, not Strict: a user opening the results link of their email (another site) must arrive signed in.
            // Cross-site POSTs still carry no cookie, and every form also checks an antiforgery token.
            options.Cookie.SameSite = SameSiteMode.Lax;
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = secure;
            // Strict: the token only matters for the portal's own forms, always same-site.
            options.Cookie.SameSite = SameSiteMode.Strict;
        });

        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.PermitLimit > 0 && o.WindowSeconds > 0, "Portal:RateLimits:PermitLimit and WindowSeconds must be positive.")
            .ValidateOnStart();
        builder.Services.AddRateLimiter(AccountRateLimiter.Configure);

        builder.Services.AddTransient<IStartupFilter, SecurityStartupFilter>();
    }

    private sealed class SecurityStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseSecurityHeaders();
            app.UseRateLimiter();
            next(app);
        };
    }
}
