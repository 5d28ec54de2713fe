using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using ClvPortal.Tests.Infrastructure;
using ClvPortal.Web.Identity;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web;

/// <summary>
/// The portal, hosted in memory for integration tests, on its own database of the test MongoDB
/// (<see cref="MongoServerFixture"/>). Use it as <c>IClassFixture&lt;PortalWebFactory&gt;</c>, so each
/// test class gets one host and one database (dropped on dispose), or create one in a test.
/// A Hangfire server runs inside the host with a 200 ms poll, so enqueued jobs execute.
/// <para>
/// Change <see cref="AdminEmails"/> or <see cref="Settings"/> before the first request or
/// <see cref="WebApplicationFactory{TEntryPoint}.Services"/> access; the host is built then.
/// </para>
/// </summary>
public sealed class PortalWebFactory : WebApplicationFactory<Program>
{
    /// <summary>Listed in Portal:AdminEmails of every factory: register it and confirm the address to get an admin (<see cref="RegisterAdminAsync"/>).</summary>
    public const string AdminEmail = "admin@clvportal.test";

    /// <summary>Satisfies the portal's password policy.</summary>
    public const string DefaultPassword = "Correct-Horse-42";

    private readonly bool _ownsDatabase;

    public PortalWebFactory() : this(null)
    {
    }

    private PortalWebFactory(string? databaseName)
    {
        _ownsDatabase = databaseName is null;
        DatabaseName = databaseName ?? MongoServerFixture.NewDatabaseName("web");
    }

    /// <summary>
    /// A second host on <paramref name="other"/>'s database, like a second process of one fleet
    /// (e.g. a worker next to a web process). <paramref name="other"/> keeps ownership and drops it.
    /// </summary>
    public static PortalWebFactory SharingDatabaseOf(PortalWebFactory other) => new(other.DatabaseName);

    public string DatabaseName { get; }

    /// <summary>Portal:AdminEmails; starts with <see cref="AdminEmail"/>.</summary>
    public List<string> AdminEmails { get; } = [AdminEmail];

    /// <summary>The hosting environment (e.g. "Production"); null keeps WebApplicationFactory's Development.</summary>
    public string? Environment { get; set; }

    /// <summary>Extra configuration, e.g. <c>["Portal:Roles"] = "web"</c>; wins over everything else.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The database the app under test uses, for arranging data and asserting on documents.</summary>
    public IMongoDatabase Database => MongoServerFixture.Instance.Database(DatabaseName);

    /// <summary>A client that keeps cookies and does not follow redirects (tests assert on them).</summary>
    public HttpClient CreatePortalClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>GETs a page (expecting 200) and parses it.</summary>
    public static async Task<IHtmlDocument> GetPageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} returned {(int)response.StatusCode}.\n{html}");
        return new HtmlParser().ParseDocument(html);
    }

    /// <summary>The antiforgery token of the first form on the page that has one.</summary>
    public static string AntiforgeryToken(IHtmlDocument page) =>
        (page.QuerySelector("input[name=__RequestVerificationToken]") as IHtmlInputElement)?.Value
        ?? throw new InvalidOperationException("The page has no form with an antiforgery token.");

    /// <summary>
    /// Submits a form the way a browser does: GETs <paramref name="pagePath"/> for the antiforgery
    /// token, then POSTs <paramref name="fields"/> plus the token to <paramref name="postPath"/>
    /// (default: the page itself).
    /// </summary>
    public static async Task<HttpResponseMessage> PostFormAsync(
        HttpClient client, string pagePath, IReadOnlyDictionary<string, string> fields, string? postPath = null)
    {
        var token = AntiforgeryToken(await GetPageAsync(client, pagePath));
        using var content = new FormUrlEncodedContent(fields.Append(new("__RequestVerificationToken", token)));
        return await client.PostAsync(postPath ?? pagePath, content);
    }

    /// <summary>An email no other test uses.</summary>
    public static string NewEmail(string hint = "user") => $"{hint}-{Guid.NewGuid():N}"[..20] + "@example.com";

    /// <summary>Submits the Register page. Registration signs the new user in (the confirmation email is not waited for).</summary>
    public static Task<HttpResponseMessage> SubmitRegisterAsync(HttpClient client, string email, string password = DefaultPassword) =>
        PostFormAsync(client, "/Identity/Account/Register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    /// <summary>Submits the Login page.</summary>
    public static Task<HttpResponseMessage> SubmitLogInAsync(HttpClient client, string email, string password = DefaultPassword) =>
        PostFormAsync(client, "/Identity/Account/Login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.RememberMe"] = "false",
        });

    /// <summary>Registers <paramref name="email"/> and returns a client signed in as that user.</summary>
    public async Task<HttpClient> RegisterAndLogInAsync(string email, string password = DefaultPassword)
    {
        var client = CreatePortalClient();
        using var response = await SubmitRegisterAsync(client, email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException(
                $"Registering {email} returned {(int)response.StatusCode}:\n{await response.Content.ReadAsStringAsync()}");
        }
        return client;
    }

    /// <summary>
    /// Confirms <paramref name="email"/>'s address as its owner does, by opening the confirmation link (with a
    /// fresh token: the same link the sign-up email carries) in <paramref name="client"/>.
    /// </summary>
    public async Task ConfirmEmailAsync(HttpClient client, string email)
    {
        string link;
        using (var scope = Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"No account has the email {email}.");
            var code = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
            link = $"/Identity/Account/ConfirmEmail?userId={Uri.EscapeDataString(user.Id)}&code={code}";
        }

        var page = await GetPageAsync(client, link);
        Assert.Contains("Thank you for confirming your email", page.Body?.TextContent, StringComparison.Ordinal);
    }

    /// <summary>
    /// An admin: registers <see cref="AdminEmail"/> (listed in Portal:AdminEmails) unless an earlier call did,
    /// confirms the address, which grants the role, and logs in so the session carries it.
    /// </summary>
    public async Task<HttpClient> RegisterAdminAsync()
    {
        var client = CreatePortalClient();
        // The address registers once per database; later calls (the same class's other tests) find it taken.
        (await SubmitRegisterAsync(client, AdminEmail)).Dispose();
        await ConfirmEmailAsync(client, AdminEmail);
        using var login = await SubmitLogInAsync(client, AdminEmail);
        if (login.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Logging in as {AdminEmail} returned {(int)login.StatusCode}.");
        }
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (Environment is not null)
        {
            builder.UseEnvironment(Environment);
        }

        // UseSetting, not ConfigureAppConfiguration: Program reads these while building the host.
        builder.UseSetting("ConnectionStrings:Mongo", MongoServerFixture.Instance.ConnectionString);
        builder.UseSetting("Portal:Database", DatabaseName);
        for (var i = 0; i < AdminEmails.Count; i++)
        {
            builder.UseSetting($"Portal:AdminEmails:{i}", AdminEmails[i]);
        }
        // Jobs start within a fraction of a second; two workers keep the single-threaded test server unhurried.
        builder.UseSetting("Portal:Jobs:PollInterval", "00:00:00.200");
        builder.UseSetting("Portal:Jobs:WorkerCount", "2");
        // Tests sign in far more often than a person; the rate limit's own test lowers it again through Settings.
        builder.UseSetting("Portal:RateLimits:PermitLimit", "100000");
        // Test output shows warnings and errors of the app, not every request and Hangfire heartbeat.
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Hangfire", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.DataProtection", "Error");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase)
        {
            await MongoServerFixture.Instance.Client.DropDatabaseAsync(DatabaseName);
        }
    }
}
