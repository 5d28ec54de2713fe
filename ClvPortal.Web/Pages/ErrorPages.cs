namespace ClvPortal.Web.Pages;

/// <summary>Which requests get the error page (<see cref="ErrorModel"/>) in place of an empty error answer.</summary>
public static class ErrorPages
{
    /// <summary>
    /// Browsers navigating: they ask for text/html. Scripts fetching JSON, the upload endpoint's callers and
    /// export downloads (marked <c>[SkipStatusCodePages]</c>) read the status, not a page.
    /// </summary>
    public static bool WantsHtml(HttpContext context) =>
        context.Request.Headers.Accept.Any(value => value?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);
}
