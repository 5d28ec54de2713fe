using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity.UI.Services;
using Microsoft.Extensions.Options;

namespace ClvPortal.Web.Email;

/// <summary>
/// The Identity UI's emails (confirm address, reset password) through the portal's SMTP server.
/// Only enqueued here: the page answers equally fast whether or not an account exists, and an SMTP
/// outage is retried by Hangfire instead of showing the visitor an error that an account exists.
/// Links point at <c>Portal:PublicBaseUrl</c>'s host, not the request's Host header, which an
/// attacker could set to receive someone's reset token (password-reset poisoning).
/// <para>
/// The message travels to the job encrypted (<see cref="IdentityEmailJob.Protector"/>): Hangfire keeps
/// job arguments in MongoDB and shows them on its dashboard for a day, and a reset link there would let
/// anyone who can read either take over the account.
/// </para>
/// </summary>
public sealed partial class IdentityEmailSender(IBackgroundJobClient jobs, IOptions<PortalOptions> portal, IDataProtectionProvider protection) : IEmailSender
{
    public Task SendEmailAsync(string email, string subject, string htmlMessage)
    {
        var message = new IdentityEmail(email, subject, OnPublicHost(htmlMessage, new Uri(portal.Value.PublicBaseUrl)));
        var sealedMessage = IdentityEmailJob.Protector(protection).Protect(JsonSerializer.Serialize(message));
        jobs.Enqueue<IdentityEmailJob>(job => job.SendAsync(sealedMessage, CancellationToken.None));
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

/// <summary>One Identity UI email: recipient, subject and HTML body.</summary>
public sealed record IdentityEmail(string To, string Subject, string Html);

/// <summary>Sends one Identity UI email; retried by Hangfire while the mail server is down.</summary>
public sealed partial class IdentityEmailJob(SmtpMailer mailer, IDataProtectionProvider protection)
{
    /// <summary>
    /// Encrypts the message for its trip through Hangfire's storage. The keys live in MongoDB
    /// (see IdentitySetup), so a worker on another machine can read what a web process sealed.
    /// </summary>
    public static IDataProtector Protector(IDataProtectionProvider protection) => protection.CreateProtector("ClvPortal.Email.IdentityEmail.v1");

    /// <param name="sealedMessage">An <see cref="IdentityEmail"/> as JSON, protected by <see cref="Protector"/>.</param>
    [AutomaticRetry(Attempts = 5)]
    public Task SendAsync(string sealedMessage, CancellationToken ct)
    {
        var message = JsonSerializer.Deserialize<IdentityEmail>(Protector(protection).Unprotect(sealedMessage))
            ?? throw new InvalidOperationException("The sealed Identity email was empty.");
        return mailer.SendAsync(message.To, message.Subject, PlainText(message.Html), message.Html, ct);
    }

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
