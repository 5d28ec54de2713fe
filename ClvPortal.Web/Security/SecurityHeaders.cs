namespace ClvPortal.Web.Security;

/// <summary>
/// Response headers that make the browser refuse what the portal never does: inline or foreign
/// script, framing, MIME sniffing, plugins. Set before the rest of the pipeline runs, so static
/// files, error pages and 429 answers carry them too.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The portal's pages: scripts and styles only from the portal's own files. Chart.js and
    /// Bootstrap set element styles through the CSSOM, which <c>style-src</c> does not govern, so
    /// neither needs <c>'unsafe-inline'</c>; no page has a <c>&lt;style&gt;</c> block or a
    /// <c>style=""</c> attribute. <c>img-src data:</c> is for Bootstrap's SVG icons (navbar toggler).
    /// </summary>
    public const string PagePolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>
    /// The Hangfire dashboard (admin only): Hangfire 1.8 passes its settings in data- attributes and
    /// loads its scripts from files, so scripts stay 'self' only; its pages and charts write style
    /// attributes in markup, so styles there may be inline.
    /// </summary>
    public const string DashboardPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public const string DashboardPath = "/hangfire";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(DashboardPath) ? DashboardPolicy : PagePolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        // Links to other sites learn the portal's origin, never a results URL or a share token in the path.
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        return next(context);
    });
}
