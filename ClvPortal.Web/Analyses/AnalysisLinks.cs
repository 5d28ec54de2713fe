namespace ClvPortal.Web.Analyses;

/// <summary>The portal's URLs of one analysis, in one place for pages, scripts and emails.</summary>
public static class AnalysisLinks
{
    public static string Status(Guid uploadId) => $"/Analyses/Status?id={uploadId}";

    /// <summary>The "check columns" step of an upload stored with <see cref="UploadForm.CheckField"/>.</summary>
    public static string Check(Guid uploadId) => $"/Analyses/Check?id={uploadId}";

    /// <summary>The results page (built by the results feature).</summary>
    public static string Results(Guid uploadId) => $"/Analyses/Results?id={uploadId}";

    public const string New = "/Analyses/New";

    public const string Index = "/Analyses";
}
