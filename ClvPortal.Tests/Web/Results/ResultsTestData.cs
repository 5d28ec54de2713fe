using ClvPortal.Bench;
using ClvPortal.Web.Data;
using ClvPortal.Web.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace ClvPortal.Tests.Web.Results;

/// <summary>Signed-in users with finished analyses, written straight into the app's database (as the analysis job would).</summary>
internal static class ResultsTestData
{
    /// <summary>Registers a new user and returns their signed-in client and Identity user id.</summary>
    public static async Task<(HttpClient Client, string OwnerId)> NewUserAsync(PortalWebFactory factory, string hint = "user")
    {
        var email = PortalWebFactory.NewEmail(hint);
        var client = await factory.RegisterAndLogInAsync(email);
        using var scope = factory.Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email) ?? throw new InvalidOperationException($"{email} was not registered.");
        return (client, user.Id);
    }

    /// <summary>Seeds one finished analysis of <paramref name="customers"/> sample customers plus the given extra customer ids.</summary>
    public static async Task<(Guid UploadId, List<CustomerResultDocument> Customers)> SeedAsync(
        PortalWebFactory factory, string ownerId, int customers, params string[] extraIds)
    {
        var db = factory.Services.GetRequiredService<PortalDb>();
        var uploadId = Guid.NewGuid();
        var rows = SampleResults.Customers(uploadId, ownerId, customers);
        for (var i = 0; i < extraIds.Length; i++)
        {
            rows.Add(new CustomerResultDocument
            {
                UploadId = uploadId,
                OwnerId = ownerId,
                CustomerId = extraIds[i],
                HeadlineClv = 1_000_000 + i, // the most valuable, so they lead every export
                TotalRevenue = 10,
                Orders = 1,
                ProbabilityAlive = 0.5,
                FirstPurchase = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                LastPurchase = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc),
            });
        }

        var result = SampleResults.Result(uploadId, ownerId, rows);
        await db.Uploads.InsertOneAsync(SampleResults.Upload(uploadId, ownerId, rows.Count, result.TotalRevenue, result.HeadlineClvTotal));
        await db.AnalysisResults.InsertOneAsync(result);
        await db.CustomerResults.InsertManyAsync(rows);
        return (uploadId, rows);
    }
}
