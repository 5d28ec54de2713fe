using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.Identity.UI.Services;

namespace ClvPortal.Web.Email;

/// <summary>
/// The Identity UI's emails (confirm address, reset password) through the portal's SMTP server.
/// Only enqueued here: the page answers equally fast whether or not an account exists, and an SMTP
/// outage is retried by Hangfire instead of showing the visitor an error that an account exists.
/// </summary>
public sealed class IdentityEmailSender(IBackgroundJobClient jobs) : IEmailSender
{
    public Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        jobs.Enqueue<IdentityEmailJob>(job => job.SendAsync(email, subject, htmlMessage, CancellationToken.None));
        return Task.CompletedTask;
    }
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
