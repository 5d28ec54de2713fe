using System.Net;
using ClvPortal.Web.Analyses;
using ClvPortal.Web.Data;
using ClvPortal.Web.Results;
using Hangfire;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace ClvPortal.Web.Email;

/// <summary>
/// Tells the owner that their analysis finished: a link to the results, or the reason it failed and
/// what to do. Its own Hangfire job, retried on its own, so a mail outage never fails an analysis.
/// Sends once per outcome: an analysis that runs again after it finished (its worker died before Hangfire
/// recorded the success) enqueues a second email job, which finds the outcome already emailed.
/// </summary>
public sealed class AnalysisEmailJob(
    PortalDb db,
    SmtpMailer mailer,
    NumberFormats formats,
    IOptions<PortalOptions> portal,
    IOptions<EmailOptions> emailOptions,
    TimeProvider clock,
    ILogger<AnalysisEmailJob> logger)
{
    [AutomaticRetry(Attempts = 5)]
    public async Task SendAsync(Guid uploadId, CancellationToken ct)
    {
        var upload = await db.Uploads.Find(u => u.Id == uploadId).FirstOrDefaultAsync(ct);
        if (upload is null || upload.OwnerEmail is null)
        {
            logger.LogInformation("No email for upload {UploadId}: it was deleted or its owner has no email", uploadId);
            return;
        }

        var email = Compose(upload, portal.Value.PublicBaseUrl, formats);
        if (email is null || upload.EmailedFor == upload.Status)
        {
            // Still running (the attempt that finishes it enqueues another email job), or already told.
            return;
        }

        // Claim the send, so two email jobs for one outcome (see above) never both send. A claim whose
        // worker died expires once any send would have timed out.
        var outcome = upload.Status;
        var sender = Guid.NewGuid().ToString("N");
        var now = clock.GetUtcNow().UtcDateTime;
        var expired = now - SendLease(emailOptions.Value);
        var claimed = await db.Uploads.UpdateOneAsync(
            u => u.Id == uploadId && u.Status == outcome && u.EmailedFor != outcome
                && (u.EmailSendingSince == null || u.EmailSendingSince < expired),
            Builders<UploadDocument>.Update.Set(u => u.EmailSender, sender).Set(u => u.EmailSendingSince, now),
            cancellationToken: ct);
        if (claimed.ModifiedCount == 0)
        {
            var current = await db.Uploads.Find(u => u.Id == uploadId).FirstOrDefaultAsync(ct);
            if (current is null || current.EmailedFor == current.Status || current.Status is not (UploadStatus.Succeeded or UploadStatus.Failed))
            {
                return;
            }

            // Another worker is sending it right now: try again later, in case that send fails.
            throw new InvalidOperationException($"The email for upload {uploadId} is being sent by another job; retrying later.");
        }

        try
        {
            await mailer.SendAsync(upload.OwnerEmail, email.Subject, email.Text, email.Html, ct);
        }
        catch
        {
            await db.Uploads.UpdateOneAsync(
                u => u.Id == uploadId && u.EmailSender == sender,
                Builders<UploadDocument>.Update.Set(u => u.EmailSender, null).Set(u => u.EmailSendingSince, null),
                cancellationToken: CancellationToken.None);
            throw;
        }

        await db.Uploads.UpdateOneAsync(
            u => u.Id == uploadId && u.EmailSender == sender,
            Builders<UploadDocument>.Update
                .Set(u => u.EmailedFor, outcome)
                .Set(u => u.EmailedAt, clock.GetUtcNow().UtcDateTime)
                .Set(u => u.EmailSender, null)
                .Set(u => u.EmailSendingSince, null),
            cancellationToken: CancellationToken.None);
    }

    /// <summary>
    /// How long a send may take before its claim counts as abandoned: connecting, signing in, sending
    /// and quitting, each bounded by <see cref="EmailOptions.TimeoutSeconds"/>.
    /// </summary>
    public static TimeSpan SendLease(EmailOptions options) => TimeSpan.FromSeconds(4 * options.TimeoutSeconds);

    /// <summary>
    /// The email for a finished upload (null while it is still queued or running), its amounts written as the pages
    /// write them: in the file's currency, else in the configured symbol (<paramref name="formats"/>).
    /// </summary>
    public static AnalysisEmail? Compose(UploadDocument upload, string publicBaseUrl, NumberFormats formats)
    {
        var baseUrl = publicBaseUrl.TrimEnd('/');
        var file = upload.FileName;
        switch (upload.Status)
        {
            case UploadStatus.Succeeded:
            {
                var link = baseUrl + AnalysisLinks.Results(upload.Id);
                var money = formats.For(upload.Currency);
                var customers = money.Count(upload.Customers ?? 0);
                var clv = upload.HeadlineClvTotal is { } total ? money.Money(total) : "not available for this file";
                var text = $"""
                    Your analysis of {file} is ready.

                    Customers: {customers}
                    Predicted customer lifetime value (total): {clv}

                    See the results (sign in required):
                    {link}
                    """;
                var html = $"""
                    <p>Your analysis of <strong>{Html(file)}</strong> is ready.</p>
                    <p>Customers: {customers}<br>Predicted customer lifetime value (total): {Html(clv)}</p>
                    <p><a href="{Html(link)}">See the results</a> (sign in required).</p>
                    """;
                return new AnalysisEmail($"Your CLV analysis of {file} is ready", text, html, link);
            }

            case UploadStatus.Failed:
            {
                var link = baseUrl + AnalysisLinks.New;
                var reason = upload.Error ?? "The analysis failed.";
                var whatToDo = upload.ErrorWhatToDo ?? "Upload the file again.";
                var text = $"""
                    The analysis of {file} could not be completed.

                    What went wrong: {reason}
                    What to do: {whatToDo}

                    Upload a file again (sign in required):
                    {link}
                    """;
                var html = $"""
                    <p>The analysis of <strong>{Html(file)}</strong> could not be completed.</p>
                    <p><strong>What went wrong:</strong> {Html(reason)}<br><strong>What to do:</strong> {Html(whatToDo)}</p>
                    <p><a href="{Html(link)}">Upload a file again</a> (sign in required).</p>
                    """;
                return new AnalysisEmail($"Your CLV analysis of {file} failed", text, html, link);
            }

            default:
                return null;
        }
    }

    private static string Html(string text) => WebUtility.HtmlEncode(text);
}

public sealed record AnalysisEmail(string Subject, string Text, string Html, string Link);
