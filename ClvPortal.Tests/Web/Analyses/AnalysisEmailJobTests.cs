using ClvPortal.Web.Data;
using ClvPortal.Web.Email;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using MongoDB.Driver;
using netDumbster.smtp;

namespace ClvPortal.Tests.Web.Analyses;

/// <summary>
/// The result email is sent once per outcome, whatever runs the email job twice: an analysis that
/// ran again after it finished, or two workers picking up two email jobs for one upload.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AnalysisEmailJobTests : IAsyncLifetime
{
    private readonly SimpleSmtpServer _smtp = SimpleSmtpServer.Start();
    private readonly PortalWebFactory _portal = new();

    public Task InitializeAsync()
    {
        // No worker: each test runs the email job itself.
        _portal.Settings["Portal:Roles"] = "web";
        _portal.UseSmtp(_smtp.Configuration.Port);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _portal.DisposeAsync();
        _smtp.Dispose();
    }

    [Fact]
    public async Task SendAsync_RunTwice_SendsOneEmailAndRecordsTheOutcome()
    {
        var upload = await InsertAsync(UploadStatus.Succeeded);

        await SendAsync(upload.Id);
        await SendAsync(upload.Id);

        Assert.Single(Received(upload.OwnerEmail!));
        var stored = await StoredAsync(upload.Id);
        Assert.Equal(UploadStatus.Succeeded, stored.EmailedFor);
        Assert.NotNull(stored.EmailedAt);
        Assert.Null(stored.EmailSender);
    }

    [Fact]
    public async Task SendAsync_AnotherJobIsSending_SendsNothingAndThrowsSoItIsRetried()
    {
        var upload = await InsertAsync(UploadStatus.Succeeded, u =>
        {
            u.EmailSender = "another job";
            u.EmailSendingSince = DateTime.UtcNow;
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => SendAsync(upload.Id));

        Assert.Empty(Received(upload.OwnerEmail!));
        Assert.Equal("another job", (await StoredAsync(upload.Id)).EmailSender);
    }

    [Fact]
    public async Task SendAsync_ClaimOfASenderThatDied_ExpiresAndTheEmailIsSent()
    {
        var lease = AnalysisEmailJob.SendLease(new EmailOptions());
        var upload = await InsertAsync(UploadStatus.Succeeded, u =>
        {
            u.EmailSender = "a job whose worker died";
            u.EmailSendingSince = DateTime.UtcNow - lease - TimeSpan.FromMinutes(1);
        });

        await SendAsync(upload.Id);

        Assert.Single(Received(upload.OwnerEmail!));
        Assert.Equal(UploadStatus.Succeeded, (await StoredAsync(upload.Id)).EmailedFor);
    }

    [Fact]
    public async Task SendAsync_EmailedAboutAFailureThenItSucceeded_SendsTheSuccess()
    {
        // An admin requeued the failed job from the dashboard and it succeeded: that is news.
        var upload = await InsertAsync(UploadStatus.Succeeded, u => u.EmailedFor = UploadStatus.Failed);

        await SendAsync(upload.Id);

        var message = Assert.Single(Received(upload.OwnerEmail!));
        Assert.Contains("is ready", message.Subject, StringComparison.Ordinal);
        Assert.Equal(UploadStatus.Succeeded, (await StoredAsync(upload.Id)).EmailedFor);
    }

    [Fact]
    public async Task SendAsync_StillRunning_SendsNothingAndRecordsNothing()
    {
        var upload = await InsertAsync(UploadStatus.Running);

        await SendAsync(upload.Id);

        Assert.Empty(Received(upload.OwnerEmail!));
        var stored = await StoredAsync(upload.Id);
        Assert.Null(stored.EmailedFor);
        Assert.Null(stored.EmailSender);
    }

    [Fact]
    public async Task SendAsync_MailServerDown_ReleasesItsClaimForTheRetry()
    {
        var upload = await InsertAsync(UploadStatus.Succeeded);
        _smtp.Stop();

        await Assert.ThrowsAnyAsync<Exception>(() => SendAsync(upload.Id));

        var stored = await StoredAsync(upload.Id);
        Assert.Null(stored.EmailSender);
        Assert.Null(stored.EmailSendingSince);
        Assert.Null(stored.EmailedFor);
    }

    private async Task<UploadDocument> InsertAsync(UploadStatus status, Action<UploadDocument>? arrange = null)
    {
        var upload = new UploadDocument
        {
            Id = Guid.NewGuid(),
            OwnerId = "owner",
            OwnerEmail = PortalWebFactory.NewEmail("notice"),
            FileName = "shop.csv",
            Status = status,
            Customers = 40,
            CreatedAt = DateTime.UtcNow,
        };
        arrange?.Invoke(upload);
        await new PortalDb(_portal.Database).Uploads.InsertOneAsync(upload);
        return upload;
    }

    private async Task SendAsync(Guid uploadId)
    {
        using var scope = _portal.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<AnalysisEmailJob>().SendAsync(uploadId, CancellationToken.None);
    }

    private Task<UploadDocument> StoredAsync(Guid uploadId) =>
        new PortalDb(_portal.Database).Uploads.Find(u => u.Id == uploadId).FirstAsync();

    private List<MimeMessage> Received(string to) =>
        [.. EmailTestKit.ReceivedMessages(_smtp)
            .Where(m => m.To.Mailboxes.Any(a => a.Address.Equals(to, StringComparison.OrdinalIgnoreCase)))];
}
