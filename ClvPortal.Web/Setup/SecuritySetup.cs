using System.Net;
using ClvPortal.Web.Security;
using Microsoft.AspNetCore.HttpOverrides;

namespace ClvPortal.Web.Setup;

public static class SecuritySetup
{
    /// <summary>
    /// Security headers on every response, hardened auth and antiforgery cookies, and a rate limit
    /// on the account forms (<c>Portal:RateLimits</c>) keyed by the client address that trusted proxies
    /// forward (<c>Portal:Proxy</c>). The forwarded headers, security headers and HTTPS check go first in
    /// the pipeline through a startup filter; the rate limiter (<c>app.UseRateLimiter()</c>) goes after
    /// routing in Program.cs, because it picks the forms by the page a request was routed to.
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

        // Secure everywhere but on a developer's plain-HTTP machine, the in-memory test server, and a
        // one-machine trial that opts into plain HTTP (Portal:AllowInsecureHttp).
        var httpsOnly = !builder.Environment.IsDevelopment()
            && !PortalOptions.From(builder.Configuration).AllowInsecureHttp;
        var secure = httpsOnly ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

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

        builder.Services.AddTransient<IStartupFilter>(_ => new SecurityStartupFilter(httpsOnly));
    }

    private sealed class SecurityStartupFilter(bool httpsOnly) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            // First: the rate limiter and the HTTPS check must see the visitor's address and scheme, not the proxy's.
            app.UseForwardedHeaders();
            app.UseSecurityHeaders();
            if (httpsOnly)
            {
                // Secure cookies never come back over plain HTTP, so sign-in and every form would fail obscurely.
                app.UseWhen(context => !context.Request.IsHttps && !context.Request.Path.StartsWithSegments("/healthz"), branch => branch.Run(HttpsOnly.AnswerAsync));
            }

            next(app);
        };
    }
}
