namespace ClvPortal.Web.Analyses;

/// <summary>
/// Tells an upload's owner that its analysis reached an outcome (succeeded or failed). The analysis job and the
/// lost-analysis sweep call it; the Email feature implements it by queuing the result email. So this feature does
/// not know how owners are told, and Email depends on the analyses, not the other way round.
/// </summary>
public interface IAnalysisOutcomeNotifier
{
    /// <summary>Queues the notice for <paramref name="uploadId"/> (its own job, retried on its own); returns that job's id.</summary>
    string Notify(Guid uploadId);
}
