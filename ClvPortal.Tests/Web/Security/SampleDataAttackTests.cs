using System.Net;
using System.Security.Claims;
using ClvPortal.Tests.Web.Analyses;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;

namespace ClvPortal.Tests.Web.Security;

/// <summary>
/// "Try it with sample data" attacked: from another site, signed out, and clicked over and over. Each click would
/// store a 4 MB file and queue an analysis, so a user gets one sample, not one per click.
/// </summary>
[Trait("Category", "Integration")]
[Collection(AnalysesCollection.Name)]
public sealed class SampleDataAttackTests
{
    private const string SamplePost = AnalysisLinks.New + "?handler=Sample";

    private static PortalWebFactory WebOnly()
    {
        // No worker: the samples stay queued, as they would behind a busy queue.
        var factory = new PortalWebFactory();
        factory.Settings["Portal:Roles"] = "web";
        return factory;
    }

    [Fact]
    public async Task Sample_Anonymous_IsSentToLogInAndStoresNothing()
    {
        await using var factory = WebOnly();
        using var anonymous = factory.CreatePortalClient();

        using var response = await anonymous.PostAsync(SamplePost, new FormUrlEncodedContent([]));

        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized, $"{(int)response.StatusCode}");
        Assert.DoesNotContain("/Analyses/Status", response.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(0, await new PortalDb(factory.Database).Uploads.CountDocumentsAsync(FilterDefinition<UploadDocument>.Empty));
    }

    [Fact]
    public async Task Sample_WithoutAntiforgeryToken_IsRefusedAndStoresNothing()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("samplecsrf"));

        using var response = await client.PostAsync(SamplePost, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await new PortalDb(factory.Database).Uploads.CountDocumentsAsync(FilterDefinition<UploadDocument>.Empty));
    }

    [Fact]
    public async Task Sample_ClickedTenTimesByAnUnconfirmedAccount_StoresOneSampleAndSaysItIsThere()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("clicker"));
        var db = new PortalDb(factory.Database);

        using (var first = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.New, new Dictionary<string, string>(), SamplePost))
        {
            Assert.StartsWith("/Analyses/Status?id=", first.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        for (var i = 0; i < 9; i++)
        {
            using var again = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.New, new Dictionary<string, string>(), SamplePost);
            Assert.Equal(AnalysisLinks.Index, again.Headers.Location!.ToString());
        }

        Assert.Equal(1, await db.Uploads.CountDocumentsAsync(u => u.IsSample));
        Assert.Single(await (await db.Files.FindAsync(FilterDefinition<MongoDB.Driver.GridFS.GridFSFileInfo>.Empty)).ToListAsync());
        var list = await PortalWebFactory.GetPageAsync(client, AnalysisLinks.Index);
        Assert.Contains("You already have the sample data", list.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        // Another user still gets their own.
        using var other = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("clicker2"));
        using var theirs = await PortalWebFactory.PostFormAsync(other, AnalysisLinks.New, new Dictionary<string, string>(), SamplePost);
        Assert.StartsWith("/Analyses/Status?id=", theirs.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, await db.Uploads.CountDocumentsAsync(u => u.IsSample));
    }

    [Fact]
    public async Task Sample_SecondClickThatRacedPastTheLookUp_RemovesItselfAndKeepsTheFirst()
    {
        // Two clicks at the same moment both find no sample and both store one: the one stored second must back off.
        await using var factory = WebOnly();
        var jobs = factory.Services.GetRequiredService<IBackgroundJobClient>();
        var db = new PortalDb(factory.Database);
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, "racer-" + Guid.NewGuid())], "test"));

        var first = await SampleData.CreateAsync(db, jobs, user, TimeProvider.System, CancellationToken.None);
        var second = await SampleData.CreateAsync(db, jobs, user, TimeProvider.System, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        var samples = await db.Uploads.Find(u => u.IsSample).ToListAsync();
        Assert.Equal(first.Id, Assert.Single(samples).Id);
        Assert.Equal(first.GridFsFileId, Assert.Single(await (await db.Files.FindAsync(FilterDefinition<MongoDB.Driver.GridFS.GridFSFileInfo>.Empty)).ToListAsync()).Id);
    }

    [Fact]
    public async Task Sample_AfterDeletingIt_CanBeStartedAgain()
    {
        await using var factory = WebOnly();
        using var client = await factory.RegisterAndLogInAsync(PortalWebFactory.NewEmail("again"));
        using var first = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.New, new Dictionary<string, string>(), SamplePost);
        var id = Guid.Parse(first.Headers.Location!.ToString()["/Analyses/Status?id=".Length..]);
        using (var deleted = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.Index, new Dictionary<string, string> { ["id"] = id.ToString() }, AnalysisLinks.Index + "?handler=Delete"))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        using var second = await PortalWebFactory.PostFormAsync(client, AnalysisLinks.New, new Dictionary<string, string>(), SamplePost);

        Assert.StartsWith("/Analyses/Status?id=", second.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
