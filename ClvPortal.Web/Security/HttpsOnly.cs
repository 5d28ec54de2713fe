namespace ClvPortal.Web.Security;

/// <summary>
/// The answer to a plain-HTTP request when the portal runs HTTPS-only (outside Development): a page
/// that says what to open instead, not the 500 that a Secure antiforgery cookie on HTTP would cause.
/// <c>/healthz</c> stays reachable over HTTP for load balancers.
/// </summary>
public static class HttpsOnly
{
    public const string Message = "ClvPortal only works over HTTPS. Open its https:// address.";

    public const string ForAdministrators =
        "Administrators: serve it over HTTPS, or terminate TLS in a proxy listed in Portal:Proxy; "
        + "to try it on one machine over plain HTTP, set Portal:AllowInsecureHttp to true.";

    public static Task AnswerAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status400BadRequest;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>HTTPS required - ClvPortal</title></head>"
            + $"<body><main><h1>HTTPS required</h1><p>{Message}</p><p><small>{ForAdministrators}</small></p></main></body></html>",
            context.RequestAborted);
    }
}
