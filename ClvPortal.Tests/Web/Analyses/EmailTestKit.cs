using System.Text;
using ClvPortal.Tests.Infrastructure;
using MimeKit;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Analyses;

internal static partial class EmailTestKit
{
    /// <summary>The Identity UI's subject for the confirmation email every sign-up sends.</summary>
    public const string SignUpConfirmationSubject = "Confirm your email";

    /// <summary>Configuration that sends the portal's email to a plain SMTP server on loopback <paramref name="port"/>.</summary>
    public static Dictionary<string, string> SmtpSettings(int port) => new()
    {
        ["Email:Host"] = "127.0.0.1",
        ["Email:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Email:Security"] = "None",
    };

    /// <summary>Points <paramref name="portal"/>'s email at the SMTP server on loopback <paramref name="port"/> (see <see cref="SmtpSettings"/>).</summary>
    public static void UseSmtp(this PortalWebFactory portal, int port)
    {
        foreach (var (key, value) in SmtpSettings(port))
        {
            portal.Settings[key] = value;
        }
    }

    /// <summary>
    /// Waits for the in-process SMTP server to receive a message to <paramref name="to"/> (by default
    /// any but the sign-up confirmation) and parses it (bodies decoded).
    /// </summary>
    public static async Task<MimeMessage> WaitForEmailAsync(SimpleSmtpServer smtp, string to, Func<MimeMessage, bool>? which = null)
    {
        which ??= m => m.Subject != SignUpConfirmationSubject;
        MimeMessage? found = null;
        await Poll.UntilAsync(
            () =>
            {
                found = ReceivedMessages(smtp)
                    .FirstOrDefault(m => m.To.Mailboxes.Any(a => a.Address.Equals(to, StringComparison.OrdinalIgnoreCase)) && which(m));
                return Task.FromResult(found is not null);
            },
            AnalysesTestKit.JobTimeout,
            $"an email to {to}");
        return found!;
    }

    /// <summary>
    /// Every message the SMTP server has received so far, parsed (bodies decoded). netDumbster copies its list of
    /// messages without a lock, so a read while a message arrives can fail or see a slot not yet filled: read again.
    /// </summary>
    public static List<MimeMessage> ReceivedMessages(SimpleSmtpServer smtp)
    {
        const int Attempts = 20;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var received = smtp.ReceivedEmail;
                if (received.All(m => m is not null) || attempt == Attempts)
                {
                    return [.. received.OfType<SmtpMessage>().Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data))))];
                }
            }
            catch (Exception e) when (e is IndexOutOfRangeException or ArgumentException && attempt < Attempts)
            {
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Path and query of the first link in an email's text body (links are written "(https://...)").</summary>
    public static string PathOfLink(MimeMessage message)
    {
        var match = Link().Match(message.TextBody ?? "");
        Assert.True(match.Success, $"No link in the email:\n{message.TextBody}");
        return new Uri(match.Groups[1].Value).PathAndQuery;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\((https?://[^)\s]+)\)")]
    private static partial System.Text.RegularExpressions.Regex Link();
}
