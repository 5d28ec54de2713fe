using MailKit.Net.Smtp;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ClvPortal.Web.Email;

/// <summary>Sends one message over SMTP with MailKit. A connection per message: result emails are rare.</summary>
public sealed class SmtpMailer(IOptions<EmailOptions> options, ILogger<SmtpMailer> logger)
{
    /// <summary>Sends the message; throws when the server cannot be reached, so the calling job is retried.</summary>
    public async Task SendAsync(string to, string subject, string text, string html, CancellationToken ct)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            logger.LogWarning("Email:Host is not set; not sending \"{Subject}\" to {To}", subject, to);
            return;
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(settings.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();

        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        await client.ConnectAsync(settings.Host, settings.Port, settings.Security, ct);
        if (!string.IsNullOrEmpty(settings.UserName))
        {
            await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
