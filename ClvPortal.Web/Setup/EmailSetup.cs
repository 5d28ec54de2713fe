using ClvPortal.Web.Analyses;
using ClvPortal.Web.Email;

namespace ClvPortal.Web.Setup;

public static class EmailSetup
{
    /// <summary>
    /// MailKit over SMTP, configured by the <c>Email</c> section (docker compose points it at Mailpit).
    /// Emails are sent by their own Hangfire job so a mail outage never fails an analysis.
    /// </summary>
    public static void AddPortalEmail(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section)
            .Validate(o => o.Port is > 0 and < 65536, "Email:Port must be between 1 and 65535.")
            .Validate(o => !o.Enabled || MimeKit.MailboxAddress.TryParse(o.From, out _), "Email:From must be an email address, e.g. \"ClvPortal <noreply@example.com>\".")
            .ValidateOnStart();
        builder.Services.AddSingleton<SmtpMailer>();
        builder.Services.AddTransient<AnalysisEmailJob>();
        // Owners hear of their finished analyses by email.
        builder.Services.AddTransient<IAnalysisOutcomeNotifier, AnalysisEmailQueue>();
        // Replaces the Identity UI's no-op sender: confirmation and password-reset emails really go out.
        builder.Services.AddTransient<Microsoft.AspNetCore.Identity.UI.Services.IEmailSender, IdentityEmailSender>();
        builder.Services.AddTransient<IdentityEmailJob>();
    }
}
