using System.Net;

namespace ClvPortal.Tests.Web.Security;

/// <summary>Password guessing from one address slows to a few tries a minute, whatever accounts it aims at.</summary>
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
}
