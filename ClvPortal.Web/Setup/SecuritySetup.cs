using System.Net;
using ClvPortal.Web.Security;
using Microsoft.AspNetCore.HttpOverrides;

namespace ClvPortal.Web.Setup;

public static class SecuritySetup
{
    /// <summary>
    /// Security headers on every response, hardened auth and antiforgery cookies, and a rate limit
    /// on the account forms (<c>Portal:RateLimits</c>) keyed by the client address that trusted proxies
    /// forward (<c>Portal:Proxy</c>). The middleware itself is placed in Program.cs: the forwarded headers,
    /// security headers and <see cref="UseHttpsOnly"/> first, the rate limiter after routing.
    /// </summary>
    public static void AddPortalSecurity(this WebApplicationBuilder builder)
    {
        // Parsed here, so a mistyped address stops the start with a message instead of the first request.
        var proxy = builder.Configuration.GetSection(ProxyOptions.Section).Get<ProxyOptions>() ?? new ProxyOptions();
        var knownProxies = proxy.KnownProxies.Select(address => IPAddress.TryParse(address, out var ip)
            ? ip
            : throw new InvalidOperationException($"Portal:Proxy:KnownProxies has \"{address}\", which is not an IP address.")).ToList();
        var knownNetworks = proxy.KnownNetworks.Select(network => System.Net.IPNetwork.TryParse(network, out var parsed)
            ? parsed
            : throw new InvalidOperationException($"Portal:Proxy:KnownNetworks has \"{network}\", which is not a network in CIDR notation like 10.0.0.0/8.")).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The defaults (loopback) stay: a proxy on the same machine is trusted without configuration.
            knownProxies.ForEach(options.KnownProxies.Add);
            knownNetworks.ForEach(options.KnownIPNetworks.Add);
        });

        var secure = IsHttpsOnly(builder.Environment, builder.Configuration) ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

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
    }

    /// <summary>
    /// Outside Development (unless <c>Portal:AllowInsecureHttp</c>), answers a plain-HTTP request with a page saying
    /// to open the https:// address: Secure cookies never come back over plain HTTP, so sign-in and every form would
    /// fail obscurely. <c>/healthz</c> stays reachable over HTTP for load balancers.
    /// </summary>
    public static void UseHttpsOnly(this WebApplication app)
    {
        if (IsHttpsOnly(app.Environment, app.Configuration))
        {
            app.UseWhen(context => !context.Request.IsHttps && !context.Request.Path.StartsWithSegments("/healthz"), branch => branch.Run(HttpsOnly.AnswerAsync));
        }
    }

    // Secure everywhere but on a developer's plain-HTTP machine, the in-memory test server, and a
    // one-machine trial that opts into plain HTTP (Portal:AllowInsecureHttp).
    private static bool IsHttpsOnly(IHostEnvironment environment, IConfiguration configuration) =>
        !environment.IsDevelopment() && !PortalOptions.From(configuration).AllowInsecureHttp;
}
