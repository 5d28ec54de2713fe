namespace ClvPortal.Web.Setup;

public static class EmailSetup
{
    public static void AddPortalEmail(this WebApplicationBuilder builder)
    {
        // Filled in by the portal work: MailKit over SMTP.
        _ = builder;
    }
}
