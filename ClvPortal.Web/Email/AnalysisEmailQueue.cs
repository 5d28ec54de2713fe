using ClvPortal.Web.Analyses;
using Hangfire;

namespace ClvPortal.Web.Email;

/// <summary>Tells owners of finished analyses by email: queues <see cref="AnalysisEmailJob"/>, so a mail outage never fails an analysis.</summary>
public sealed class AnalysisEmailQueue(IBackgroundJobClient jobs) : IAnalysisOutcomeNotifier
{
    public string Notify(Guid uploadId) => jobs.Enqueue<AnalysisEmailJob>(job => job.SendAsync(uploadId, CancellationToken.None));
}
