using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace ClvPortal.Tests.Web.Security;

/// <summary>Password guessing from one address slows to a few tries a minute, whatever accounts it aims at.</summary>
[Trait("Category", "Integration")]
public sealed class RateLimitTests
{
    [Fact]
    public async Task LogIn_MoreThanLimitPerMinute_TooManyRequestsWithFriendlyMessage()
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "3";
        using var client = portal.CreatePortalClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var attempt = await PortalWebFactory.SubmitLogInAsync(client, PortalWebFactory.NewEmail("guess"), "Wrong-Password-1");
            statuses.Add(attempt.StatusCode);
        }
        using var blocked = await PortalWebFactory.SubmitLogInAsync(client, PortalWebFactory.NewEmail("guess"), "Wrong-Password-1");
        using var registerBlocked = await PortalWebFactory.SubmitRegisterAsync(client, PortalWebFactory.NewEmail("late"));
        using var page = await client.GetAsync("/Identity/Account/Login");

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Contains("Wait a minute, then try again", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(blocked.Headers.RetryAfter is not null, "tells the client when to retry");
        Assert.Equal(HttpStatusCode.TooManyRequests, registerBlocked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    [Fact]
    public async Task Register_MoreThanLimitPerMinute_TooManyRequestsAndNoAccountCreated()
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "2";
        using var client = portal.CreatePortalClient();

        for (var i = 0; i < 2; i++)
        {
            using var signUp = await PortalWebFactory.SubmitRegisterAsync(portal.CreatePortalClient(), PortalWebFactory.NewEmail("bulk"));
            Assert.Equal(HttpStatusCode.Redirect, signUp.StatusCode);
        }
        var late = PortalWebFactory.NewEmail("bulk");
        using var blocked = await PortalWebFactory.SubmitRegisterAsync(client, late);

        Assert.Equal(HttpStatusCode.TooManyRequests, blocked.StatusCode);
        Assert.Equal(0, await portal.Database.GetCollection<MongoDB.Bson.BsonDocument>("users")
            .CountDocumentsAsync(new MongoDB.Bson.BsonDocument("normalizedEmail", late.ToUpperInvariant())));
    }

    [Theory]
    [InlineData("/Identity/Account/Login/")]
    [InlineData("/identity/account/login")]
    [InlineData("/IDENTITY/ACCOUNT/LOGIN/")]
    [InlineData("/Identity/Account/Register/")]
    [InlineData("/Identity/Account/ForgotPassword/")]
    [InlineData("/Identity/Account/ResendEmailConfirmation/")]
    public async Task AccountForm_PathSpelledAnotherWay_SameLimit(string path)
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "2";

        var statuses = await PostAsync(portal, path, 3);

        // The first two reach the form's page (a wrong password, a new account or an email sent), the third is refused.
        Assert.All(statuses[..2], s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.Redirect, $"{path} answered {string.Join(", ", statuses)}"));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[2]);
    }

    [Theory]
    [InlineData("//Identity/Account/Login")]
    [InlineData("/Identity//Account/Login")]
    [InlineData("/Identity/Account//Login/")]
    public async Task AccountForm_PathWithEmptySegment_NeverReachesTheFormUnlimited(string path)
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "2";

        var statuses = await PostAsync(portal, path, 3);

        // Either routing finds no page there, or the page is limited as under its own name.
        Assert.True(statuses.All(s => s == HttpStatusCode.NotFound) || statuses[2] == HttpStatusCode.TooManyRequests,
            $"{path} answered {string.Join(", ", statuses)}");
    }

    [Fact]
    public async Task ChangePassword_GuessesFromOneAddress_LimitedLikeLogIn()
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "3";
        // The sign-up is the first of the three POSTs allowed.
        using var session = await portal.RegisterAndLogInAsync(PortalWebFactory.NewEmail("session"));
        var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(session, "/Identity/Account/Manage/ChangePassword"));

        var statuses = new List<HttpStatusCode>();
        foreach (var path in new[] { "/Identity/Account/Manage/ChangePassword", "/identity/account/manage/changepassword/", "/Identity/Account/Manage/ChangePassword/" })
        {
            using var guess = await session.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Input.OldPassword"] = "Wrong-Password-1",
                ["Input.NewPassword"] = "Another-Horse-77",
                ["Input.ConfirmPassword"] = "Another-Horse-77",
                ["__RequestVerificationToken"] = token,
            }));
            statuses.Add(guess.StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>
    /// POSTs a filled account form to <paramref name="path"/> as written (no client-side clean-up), each time as a
    /// fresh visitor (a sign-up signs in, which ends the antiforgery token's use) from the one address the
    /// in-memory server has.
    /// </summary>
    private static async Task<List<HttpStatusCode>> PostAsync(PortalWebFactory portal, string path, int attempts)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < attempts; i++)
        {
            using var client = portal.CreatePortalClient();
            var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, "/Identity/Account/Login"));
            var password = "Wrong-Password-" + i;
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://localhost" + path))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Input.Email"] = PortalWebFactory.NewEmail("spelled"),
                    ["Input.Password"] = password,
                    ["Input.ConfirmPassword"] = password,
                    ["__RequestVerificationToken"] = token,
                }),
            };
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    [Fact]
    public async Task LogIn_BehindTrustedProxy_LimitsEachForwardedVisitorOnItsOwn()
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "2";
        portal.Settings["Portal:Proxy:KnownNetworks:0"] = "10.0.0.0/8";
        await using var behindProxy = portal.WithWebHostBuilder(b => b.ConfigureTestServices(ArriveFrom("10.1.2.3")));

        var first = await LogInStatusesAsync(behindProxy.CreateClient(), "203.0.113.7", 3);
        var second = await LogInStatusesAsync(behindProxy.CreateClient(), "203.0.113.8", 1);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], first);
        Assert.Equal([HttpStatusCode.OK], second);
    }

    [Fact]
    public async Task LogIn_ForwardedForFromUntrustedAddress_IgnoredSoTheLimitHolds()
    {
        await using var portal = new PortalWebFactory();
        portal.Settings["Portal:RateLimits:PermitLimit"] = "2";
        await using var direct = portal.WithWebHostBuilder(b => b.ConfigureTestServices(ArriveFrom("198.51.100.9")));

        var statuses = new List<HttpStatusCode>();
        foreach (var spoofed in new[] { "203.0.113.1", "203.0.113.2", "203.0.113.3" })
        {
            statuses.AddRange(await LogInStatusesAsync(direct.CreateClient(), spoofed, 1));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    /// <summary>Log-in POSTs (wrong password) sent with <c>X-Forwarded-For: <paramref name="forwardedFor"/></c>.</summary>
    private static async Task<List<HttpStatusCode>> LogInStatusesAsync(HttpClient client, string forwardedFor, int attempts)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < attempts; i++)
        {
            var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, "/Identity/Account/Login"));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/Identity/Account/Login")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["Input.Email"] = PortalWebFactory.NewEmail("guess"),
                    ["Input.Password"] = "Wrong-Password-1",
                    ["__RequestVerificationToken"] = token,
                }),
            };
            request.Headers.Add("X-Forwarded-For", forwardedFor);
            using var response = await client.SendAsync(request);
            statuses.Add(response.StatusCode);
        }

        return statuses;
    }

    /// <summary>Makes every request arrive from <paramref name="address"/> (the in-memory server has none), ahead of the portal's middleware.</summary>
    private static Action<IServiceCollection> ArriveFrom(string address) => services =>
        services.Insert(0, ServiceDescriptor.Singleton<IStartupFilter>(new RemoteAddressFilter(IPAddress.Parse(address))));

    private sealed class RemoteAddressFilter(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
