using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Security;

/// <summary>
/// A fixed window per client IP on the account forms that check a password or send an email.
/// It runs after routing and picks the forms by the Razor page the request was routed to, not by the
/// path's spelling: <c>/Identity/Account/Login/</c> and <c>/identity/account/LOGIN</c> reach the same
/// page, and so the same limit.
/// </summary>
public static class AccountRateLimiter
{
    /// <summary>The Identity UI pages (area "Identity") whose POST is limited: each checks a password or a code, or sends an email.</summary>
    public static readonly string[] LimitedPages =
    [
        "/Account/Login",
        "/Account/LoginWith2fa",
        "/Account/LoginWithRecoveryCode",
        "/Account/Register",
        "/Account/ForgotPassword",
        "/Account/ResendEmailConfirmation",
        "/Account/Manage/ChangePassword",
        "/Account/Manage/DeletePersonalData",
    ];

    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            if (!settings.Enabled || !HttpMethods.IsPost(context.Request.Method) || !IsLimitedPage(context))
            {
                return RateLimitPartition.GetNoLimiter("unlimited");
            }

            // The visitor's address; behind a trusted proxy (Portal:Proxy) the one it forwarded.
            var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            return RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                QueueLimit = 0,
            });
        });
        options.OnRejected = async (rejected, ct) =>
        {
            var response = rejected.HttpContext.Response;
            if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            response.ContentType = "text/html; charset=utf-8";
            await response.WriteAsync(TooManyAttemptsPage, ct);
        };
    }

    public const string TooManyAttemptsMessage =
        "Too many sign-in or sign-up attempts from your network. Wait a minute, then try again.";

    private const string TooManyAttemptsPage =
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Too many attempts - ClvPortal</title>"
        + "<link rel=\"stylesheet\" href=\"/lib/bootstrap/dist/css/bootstrap.min.css\"></head>"
        + "<body><main class=\"container py-5\"><h1 class=\"h3\">Please wait a moment</h1><p>"
        + TooManyAttemptsMessage
        + "</p><p><a href=\"/\">Back to the home page</a></p></main></body></html>";

    // The route values of the endpoint routing chose: the page's own name, whatever the request spelled.
    private static bool IsLimitedPage(HttpContext context) =>
        context.GetRouteValue("area") is "Identity"
        && context.GetRouteValue("page") is string page
        && LimitedPages.Contains(page, StringComparer.Ordinal);
}
