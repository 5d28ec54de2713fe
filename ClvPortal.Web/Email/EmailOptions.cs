using MailKit.Security;

namespace ClvPortal.Web.Email;

/// <summary>The <c>Email</c> configuration section: the SMTP server result emails go through.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>SMTP host. Default empty: emails are logged and skipped (a developer machine without a mail server).</summary>
    public string Host { get; set; } = "";

    /// <summary>SMTP port. Default 25; Mailpit in docker compose listens on 1025, submission servers on 587.</summary>
    public int Port { get; set; } = 25;

    /// <summary>
    /// TLS: <c>None</c>, <c>Auto</c> (TLS on connect for port 465, STARTTLS when offered otherwise; the
    /// default), <c>SslOnConnect</c>, <c>StartTls</c> (required) or <c>StartTlsWhenAvailable</c>.
    /// </summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.Auto;

    /// <summary>Login user name; leave empty for servers that relay without authentication (Mailpit).</summary>
    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Sender address, e.g. <c>ClvPortal &lt;noreply@clv.example.com&gt;</c>.</summary>
    public string From { get; set; } = "ClvPortal <noreply@localhost>";

    /// <summary>Seconds to wait for the server before the email job fails and Hangfire retries it. Default 30.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
