using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Security;

/// <summary>
/// A fixed window per client IP on the account forms that check a password or send an email.
/// A global limiter keyed by path, so it needs no routing and runs before any page work.
/// </summary>
public static class AccountRateLimiter
{
    /// <summary>The Identity UI pages whose POST is limited.</summary>
    public static readonly string[] LimitedPages =
    [
        "/Identity/Account/Login",
        "/Identity/Account/Register",
        "/Identity/Account/ForgotPassword",
        "/Identity/Account/ResendEmailConfirmation",
    ];

    public static void Configure(RateLimiterOptions options)
    {
        options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        {
            var settings = context.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value;
            if (!settings.Enabled || !HttpMethods.IsPost(context.Request.Method) || !IsLimitedPage(context.Request.Path))
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

    private static bool IsLimitedPage(PathString path) =>
        Array.Exists(LimitedPages, page => path.Equals(page, StringComparison.OrdinalIgnoreCase));
}
