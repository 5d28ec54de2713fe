using System.Net;
using AngleSharp.Html.Parser;
using ClvPortal.Web.Identity;
using MongoDB.Bson;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Identity;

/// <summary>Sign-up, log-in, lockout and password change through the real pages.</summary>
[Trait("Category", "Integration")]
public sealed class AccountTests(PortalWebFactory portal) : IClassFixture<PortalWebFactory>
{
    private const string ManagePage = "/Identity/Account/Manage";

    [Fact]
    public async Task Register_ThenLogInAgain_ReachesPageThatNeedsLogin()
    {
        var email = PortalWebFactory.NewEmail();
        using (var registered = await portal.RegisterAndLogInAsync(email))
        {
            var home = await PortalWebFactory.GetPageAsync(registered, "/");
            Assert.Contains(email, home.QuerySelector("#manage")?.TextContent);
        }

        using var client = portal.CreatePortalClient();
        using (var anonymous = await client.GetAsync(ManagePage))
        {
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.StartsWith("/Identity/Account/Login", anonymous.Headers.Location?.PathAndQuery);
        }

        using (var login = await PortalWebFactory.SubmitLogInAsync(client, email))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }
        var manage = await PortalWebFactory.GetPageAsync(client, ManagePage);
        Assert.Contains(email, manage.Body?.TextContent);
    }

    [Fact]
    public async Task Logout_SignedInUser_PageThatNeedsLoginRedirectsAgain()
    {
        using var client = await portal.RegisterAndLogInAsync(PortalWebFactory.NewEmail());
        using (var logout = await PortalWebFactory.PostFormAsync(client, "/", new Dictionary<string, string>(), "/Identity/Account/Logout?returnUrl=%2F"))
        {
            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        }

        using var manage = await client.GetAsync(ManagePage);
        Assert.Equal(HttpStatusCode.Redirect, manage.StatusCode);
        var home = await PortalWebFactory.GetPageAsync(client, "/");
        Assert.NotNull(home.QuerySelector("#login"));
        Assert.NotNull(home.QuerySelector("#register"));
    }

    [Fact]
    public async Task LogIn_UnknownEmailOrWrongPassword_SameAnswerSoAccountsCannotBeProbed()
    {
        var email = PortalWebFactory.NewEmail("probe");
        (await portal.RegisterAndLogInAsync(email)).Dispose();
        using var client = portal.CreatePortalClient();

        using var wrongPassword = await PortalWebFactory.SubmitLogInAsync(client, email, "Wrong-Password-1");
        using var unknownEmail = await PortalWebFactory.SubmitLogInAsync(client, PortalWebFactory.NewEmail("nobody"), "Wrong-Password-1");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        var errors = await Task.WhenAll(ValidationSummaryAsync(wrongPassword), ValidationSummaryAsync(unknownEmail));
        Assert.Equal("Invalid login attempt.", errors[0]);
        Assert.Equal(errors[0], errors[1]);
    }

    [Fact]
    public async Task LogIn_FiveWrongPasswords_LocksAccountOutEvenForRightPassword()
    {
        var email = PortalWebFactory.NewEmail();
        (await portal.RegisterAndLogInAsync(email)).Dispose();

        using var client = portal.CreatePortalClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await PortalWebFactory.SubmitLogInAsync(client, email, "Wrong-Password-" + attempt);
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Invalid login attempt", await wrong.Content.ReadAsStringAsync());
        }

        using (var fifth = await PortalWebFactory.SubmitLogInAsync(client, email, "Wrong-Password-5"))
        {
            Assert.Equal("/Identity/Account/Lockout", fifth.Headers.Location?.OriginalString);
        }
        using var right = await PortalWebFactory.SubmitLogInAsync(client, email);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/Identity/Account/Lockout", right.Headers.Location?.OriginalString);

        var stored = await UserDocumentAsync(email);
        Assert.True(stored["lockoutEnd"].ToUniversalTime() > DateTime.UtcNow.AddMinutes(10), "locked out for about 15 minutes");
    }

    [Fact]
    public async Task Register_EmailAlreadyRegistered_SaysSoAndCreatesNoSecondAccount()
    {
        var email = PortalWebFactory.NewEmail();
        (await portal.RegisterAndLogInAsync(email)).Dispose();

        using var client = portal.CreatePortalClient();
        using var again = await PortalWebFactory.SubmitRegisterAsync(client, email.ToUpperInvariant());

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var page = new HtmlParser().ParseDocument(await again.Content.ReadAsStringAsync());
        Assert.Contains("is already taken", page.QuerySelector(".validation-summary-errors")?.TextContent);
        Assert.Equal(1, await portal.Database.GetCollection<BsonDocument>(MongoUserStore.CollectionName)
            .CountDocumentsAsync(new BsonDocument("normalizedEmail", email.ToUpperInvariant())));
    }

    [Fact]
    public async Task Register_ShortPassword_ExplainsThePolicy()
    {
        using var client = portal.CreatePortalClient();
        using var response = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail(), "Sh0rt-pw");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("at least 10", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Register_StoresPbkdf2HashAndDocumentShape_NeverThePassword()
    {
        var email = PortalWebFactory.NewEmail();
        (await portal.RegisterAndLogInAsync(email)).Dispose();

        var user = await UserDocumentAsync(email);
        foreach (var field in new[] { "_id", "email", "normalizedEmail", "passwordHash", "securityStamp", "roles", "lockoutEnabled", "lockoutEnd", "accessFailedCount" })
        {
            Assert.True(user.Contains(field), $"users document has {field}");
        }
        Assert.DoesNotContain(PortalWebFactory.DefaultPassword, user.ToJson());

        // Identity v3 hash layout (aspnetcore PasswordHasher.cs): 0x01 marker, then big-endian
        // PRF id (2 = HMAC-SHA512), iteration count (100,000 since .NET 7), salt length, salt, subkey.
        var hash = Convert.FromBase64String(user["passwordHash"].AsString);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(2, ReadBigEndian(hash, 1));
        Assert.True(ReadBigEndian(hash, 5) >= 100_000);
        Assert.True(user["lockoutEnabled"].AsBoolean);
        Assert.False(user["emailConfirmed"].AsBoolean);
    }

    [Fact]
    public async Task ChangePassword_SignedIn_NewPasswordLogsIn()
    {
        var email = PortalWebFactory.NewEmail();
        const string newPassword = "Another-Horse-77";
        using var client = await portal.RegisterAndLogInAsync(email);

        using (var change = await PortalWebFactory.PostFormAsync(client, ManagePage + "/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = PortalWebFactory.DefaultPassword,
            ["Input.NewPassword"] = newPassword,
            ["Input.ConfirmPassword"] = newPassword,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, change.StatusCode);
        }

        using var fresh = portal.CreatePortalClient();
        using (var old = await PortalWebFactory.SubmitLogInAsync(fresh, email))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }
        using var login = await PortalWebFactory.SubmitLogInAsync(fresh, email, newPassword);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    [Fact]
    public async Task ChangePassword_FiveWrongCurrentPasswords_LocksTheAccountLikeLogIn()
    {
        // Someone holding a stolen session guesses the password behind it.
        var email = PortalWebFactory.NewEmail("guesser");
        using var session = await portal.RegisterAndLogInAsync(email);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await ChangePasswordAsync(session, "Wrong-Password-" + attempt, "Another-Horse-77");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        using var right = await ChangePasswordAsync(session, PortalWebFactory.DefaultPassword, "Another-Horse-77");

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var login = await PortalWebFactory.SubmitLogInAsync(portal.CreatePortalClient(), email);
        Assert.Equal("/Identity/Account/Lockout", login.Headers.Location?.OriginalString);
        var stored = await UserDocumentAsync(email);
        Assert.True(stored["lockoutEnd"].ToUniversalTime() > DateTime.UtcNow.AddMinutes(10), "locked out for about 15 minutes");
    }

    [Fact]
    public async Task ChangePassword_WrongThenRightCurrentPassword_ChangesAndClearsTheFailures()
    {
        var email = PortalWebFactory.NewEmail("typo");
        using var session = await portal.RegisterAndLogInAsync(email);
        using (var typo = await ChangePasswordAsync(session, "Wrong-Password-1", "Another-Horse-77"))
        {
            Assert.Contains("Incorrect password", await typo.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var right = await ChangePasswordAsync(session, PortalWebFactory.DefaultPassword, "Another-Horse-77");

        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal(0, (await UserDocumentAsync(email))["accessFailedCount"].AsInt32);
    }

    [Fact]
    public async Task LogIn_PostWithoutAntiforgeryToken_IsRejected()
    {
        using var client = portal.CreatePortalClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = PortalWebFactory.AdminEmail,
            ["Input.Password"] = PortalWebFactory.DefaultPassword,
        });

        using var response = await client.PostAsync("/Identity/Account/Login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(HttpClient client, string current, string next) =>
        PortalWebFactory.PostFormAsync(client, ManagePage + "/ChangePassword", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = current,
            ["Input.NewPassword"] = next,
            ["Input.ConfirmPassword"] = next,
        });

    private async Task<BsonDocument> UserDocumentAsync(string email) =>
        await portal.Database.GetCollection<BsonDocument>(MongoUserStore.CollectionName)
            .Find(new BsonDocument("normalizedEmail", email.ToUpperInvariant())).SingleAsync();

    private static int ReadBigEndian(byte[] bytes, int offset) =>
        bytes[offset] << 24 | bytes[offset + 1] << 16 | bytes[offset + 2] << 8 | bytes[offset + 3];

    private static async Task<string> ValidationSummaryAsync(HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync())
            .QuerySelector("[data-valmsg-summary] li, .validation-summary-errors li")?.TextContent.Trim() ?? "";
}
