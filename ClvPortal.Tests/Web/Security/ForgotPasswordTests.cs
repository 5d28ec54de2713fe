using System.Net;
using ClvPortal.Tests.Web.Analyses;
using MongoDB.Bson;
using MongoDB.Driver;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Security;

/// <summary>Forgotten passwords can really be reset by email, and the page never tells whether an address has an account.</summary>
[Trait("Category", "Integration")]
public sealed class ForgotPasswordTests
{
    private const string ForgotPasswordPage = "/Identity/Account/ForgotPassword";

    [Fact]
    public async Task ForgotPassword_KnownAndUnknownAddress_SameAnswerAndOnlyTheAccountGetsAResetLink()
    {
        using var smtp = SimpleSmtpServer.Start();
        await using var portal = new PortalWebFactory();
        portal.UseSmtp(smtp.Configuration.Port);
        portal.Settings["Portal:PublicBaseUrl"] = "https://clv.example.test/";
        var email = PortalWebFactory.NewEmail("forgot");
        var unknown = PortalWebFactory.NewEmail("nobody");
        using (var signedUp = await portal.RegisterAndLogInAsync(email))
        {
            // Reset emails only go to confirmed addresses: confirm through the link of the sign-up email.
            var confirmation = await EmailTestKit.WaitForEmailAsync(smtp, email, m => m.Subject == EmailTestKit.SignUpConfirmationSubject);
            var confirmed = await PortalWebFactory.GetPageAsync(signedUp, EmailTestKit.PathOfLink(confirmation));
            Assert.Contains("Thank you for confirming your email", confirmed.Body?.TextContent, StringComparison.Ordinal);
        }
        using var client = portal.CreatePortalClient();

        using var forUnknown = await PortalWebFactory.PostFormAsync(client, ForgotPasswordPage, new Dictionary<string, string> { ["Input.Email"] = unknown });
        // A forged Host header must not steer the reset link (and its token) to another site.
        client.DefaultRequestHeaders.Host = "attacker.example";
        using var forKnown = await PortalWebFactory.PostFormAsync(client, ForgotPasswordPage, new Dictionary<string, string> { ["Input.Email"] = email });
        client.DefaultRequestHeaders.Host = null;

        Assert.Equal(HttpStatusCode.Redirect, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal(forKnown.Headers.Location, forUnknown.Headers.Location);
        var reset = await EmailTestKit.WaitForEmailAsync(smtp, email, m => m.Subject == "Reset your password");
        Assert.Contains("(https://clv.example.test/Identity/Account/ResetPassword?code=", reset.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", reset.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain(EmailTestKit.ReceivedMessages(smtp), m => m.To.Mailboxes.Any(a => a.Address.Equals(unknown, StringComparison.OrdinalIgnoreCase)));

        // Hangfire keeps job arguments (and shows them on its dashboard): the reset link and address are not readable there.
        var jobStorage = await HangfireDocumentsAsync(portal);
        Assert.Contains("IdentityEmailJob", jobStorage, StringComparison.Ordinal);
        Assert.DoesNotContain("ResetPassword", jobStorage, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(email, jobStorage, StringComparison.OrdinalIgnoreCase);

        // The link works: the new password signs in.
        var resetPage = await PortalWebFactory.GetPageAsync(client, EmailTestKit.PathOfLink(reset));
        var code = resetPage.QuerySelector("input[name='Input.Code']")?.GetAttribute("value") ?? "";
        using var changed = await PortalWebFactory.PostFormAsync(client, EmailTestKit.PathOfLink(reset), new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Brand-New-Pass-77",
            ["Input.ConfirmPassword"] = "Brand-New-Pass-77",
            ["Input.Code"] = code,
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        using var login = await PortalWebFactory.SubmitLogInAsync(portal.CreatePortalClient(), email, "Brand-New-Pass-77");
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    /// <summary>Every document of Hangfire's collections, as one JSON text.</summary>
    private static async Task<string> HangfireDocumentsAsync(PortalWebFactory portal)
    {
        var text = new System.Text.StringBuilder();
        foreach (var name in await (await portal.Database.ListCollectionNamesAsync()).ToListAsync())
        {
            if (name.StartsWith("hangfire.", StringComparison.Ordinal))
            {
                foreach (var document in await portal.Database.GetCollection<BsonDocument>(name).Find(FilterDefinition<BsonDocument>.Empty).ToListAsync())
                {
                    text.AppendLine(document.ToJson());
                }
            }
        }

        return text.ToString();
    }


}
