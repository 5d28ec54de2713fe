using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using ClvPortal.Web.Setup;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Email;

/// <summary>
/// The Identity UI's emails (confirm address, reset password) through the portal's SMTP server.
/// Only enqueued here: the page answers equally fast whether or not an account exists, and an SMTP
/// outage is retried by Hangfire instead of showing the visitor an error that an account exists.
/// Links point at <c>Portal:PublicBaseUrl</c>'s host, not the request's Host header, which an
/// attacker could set to receive someone's reset token (password-reset poisoning).
/// </summary>
public sealed partial class IdentityEmailSender(IBackgroundJobClient jobs, IOptions<PortalOptions> portal) : IEmailSender
{
    public Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var html = OnPublicHost(htmlMessage, new Uri(portal.Value.PublicBaseUrl));
        jobs.Enqueue<IdentityEmailJob>(job => job.SendAsync(email, subject, html, CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Moves every absolute link in <paramref name="html"/> to the scheme, host and port of <paramref name="publicBase"/>.</summary>
    public static string OnPublicHost(string html, Uri publicBase) => Href().Replace(html, m =>
    {
        if (!Uri.TryCreate(WebUtility.HtmlDecode(m.Groups["url"].Value), UriKind.Absolute, out var link))
        {
            return m.Value;
        }
        var moved = new UriBuilder(link) { Scheme = publicBase.Scheme, Host = publicBase.Host, Port = publicBase.Port }.Uri;
        return $"{m.Groups["before"].Value}{WebUtility.HtmlEncode(moved.AbsoluteUri)}{m.Groups["after"].Value}";
    });

    [GeneratedRegex("""(?<before>href=['"])(?<url>[^'"]*)(?<after>['"])""", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}

/// <summary>Sends one Identity UI email; retried by Hangfire while the mail server is down.</summary>
public sealed partial class IdentityEmailJob(SmtpMailer mailer)
{
    [AutomaticRetry(Attempts = 5)]
    public Task SendAsync(string to, string subject, string html, CancellationToken ct) =>
        mailer.SendAsync(to, subject, PlainText(html), html, ct);

    /// <summary>
    /// The plain-text part: Identity writes <c>&lt;a href='url'&gt;clicking here&lt;/a&gt;</c>, which
    /// becomes "clicking here (url)" so text-only mail clients still show the link.
    /// </summary>
    public static string PlainText(string html)
    {
        var withLinks = Link().Replace(html, m => $"{m.Groups["text"].Value} ({m.Groups["url"].Value})");
        return WebUtility.HtmlDecode(Tag().Replace(withLinks, ""));
    }

    [GeneratedRegex("""<a\s[^>]*href=['"](?<url>[^'"]*)['"][^>]*>(?<text>.*?)</a>""", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
