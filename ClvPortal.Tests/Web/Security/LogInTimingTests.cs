using System.Diagnostics;
using ClvPortal.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ClvPortal.Tests.Web.Security;

/// <summary>The time a failed log-in takes does not tell whether the address has an account.</summary>
[Trait("Category", "Integration")]
public sealed class LogInTimingTests
{
    private const int Tries = 15;

    [Fact]
    public async Task LogIn_UnknownEmail_TakesAboutAsLongAsAWrongPasswordForAnAccount()
    {
        await using var portal = new PortalWebFactory();
        // One account per try: five wrong passwords would lock an account, and a locked account answers at once.
        var accounts = new List<string>();
        using (var scope = portal.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            for (var i = 0; i <= Tries; i++)
            {
                var email = PortalWebFactory.NewEmail("timed");
                var created = await users.CreateAsync(new PortalUser { UserName = email, Email = email }, PortalWebFactory.DefaultPassword);
                Assert.True(created.Succeeded);
                accounts.Add(email);
            }
        }

        using var client = portal.CreatePortalClient();
        var token = PortalWebFactory.AntiforgeryToken(await PortalWebFactory.GetPageAsync(client, "/Identity/Account/Login"));
        // Warm-up: the first of each kind pays for compilation and first-use caches.
        await TimeLogInAsync(client, token, accounts[Tries]);
        await TimeLogInAsync(client, token, PortalWebFactory.NewEmail("nobody"));

        var existing = new List<double>();
        var unknown = new List<double>();
        for (var i = 0; i < Tries; i++)
        {
            existing.Add(await TimeLogInAsync(client, token, accounts[i]));
            unknown.Add(await TimeLogInAsync(client, token, PortalWebFactory.NewEmail("nobody")));
        }

        // An attacker compares medians; a hash skipped for unknown addresses made them ~30 times faster.
        var (existingMedian, unknownMedian) = (Median(existing), Median(unknown));
        Assert.True(unknownMedian >= 0.5 * existingMedian,
            $"unknown address {unknownMedian:F1} ms against wrong password {existingMedian:F1} ms (medians of {Tries})");
    }

    private static async Task<double> TimeLogInAsync(HttpClient client, string token, string email)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "Wrong-Password-1",
            ["__RequestVerificationToken"] = token,
        });
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsync("/Identity/Account/Login", form);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Assert.Contains("Invalid login attempt", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
