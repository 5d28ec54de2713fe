using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ClvPortal.Web.Identity;

/// <summary>
/// Replaces an off-site <c>returnUrl</c> (<c>//evil.example</c>, <c>https://evil.example</c>, <c>/\evil.example</c>)
/// with the home page before an Identity UI page handles it. Those pages end in <c>LocalRedirect(returnUrl)</c>,
/// which throws on such a value: log-in answered 500 after a correct password and the user was not signed in.
/// Now log-in, sign-up and log-out work and land on the portal, never on the other site.
/// </summary>
public sealed class LocalReturnUrlFilter : IPageFilter
{
    public const string Parameter = "returnUrl";

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
        if (context.HandlerArguments.TryGetValue(Parameter, out var value)
            && value is string returnUrl
            && context.HandlerInstance is PageModel page
            && !page.Url.IsLocalUrl(returnUrl))
        {
            context.HandlerArguments[Parameter] = page.Url.Content("~/");
        }
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context)
    {
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }
}
