using System.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ClvPortal.Web.Pages;

/// <summary>
/// What a person sees when a page cannot be shown: an unexpected error (the exception handler re-executes
/// here outside Development), or an empty 404/403/... answer to a browser (status code pages re-execute
/// here with <c>?code=</c>). Written for business users: what happened and what to do, never how the server is set up.
/// </summary>
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    /// <summary>The status the original request ended with; null for an unexpected error.</summary>
    [BindProperty(SupportsGet = true)]
    public int? Code { get; set; }

    public string? RequestId { get; private set; }

    public string Title => Code switch
    {
        StatusCodes.Status404NotFound => "We could not find that page",
        StatusCodes.Status403Forbidden => "This page is not available to your account",
        StatusCodes.Status400BadRequest => "We could not understand that request",
        StatusCodes.Status429TooManyRequests => "Too many attempts",
        _ => "Something went wrong on our side",
    };

    public string Explanation => Code switch
    {
        StatusCodes.Status404NotFound =>
            "The address may be mistyped, or the analysis it pointed to was deleted. Analyses are visible only to the account that uploaded them.",
        StatusCodes.Status403Forbidden =>
            "You are signed in, but this page is for other accounts (for example administrators). If you think you should see it, ask your administrator.",
        StatusCodes.Status400BadRequest => "Go back, reload the page and try again.",
        StatusCodes.Status429TooManyRequests => "Please wait a minute and try again.",
        _ => "Your data is safe. Please try again in a few minutes; if it keeps happening, contact support and mention the reference below.",
    };

    public void OnGet() => RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;

    // Re-executed POSTs (a form posted to a missing page) get the same page.
    public void OnPost() => OnGet();
}
