namespace ClvPortal.Tests;

/// <summary>Where the tests find the public data sets they check published numbers against.</summary>
public static class TestData
{
    /// <summary>Where to get the CDNOW file, for the messages of tests that need it.</summary>
    public const string CdnowHowToGet =
        "Download CDNOW_master.zip from http://www.brucehardie.com/datasets/ and set CDNOW_MASTER to the CDNOW_master.txt inside "
        + "(or put it in shared/data/cdnow/ beside or above the checkout).";

    /// <summary>
    /// The CDNOW master file (Fader, Hardie &amp; Lee 2005): CDNOW_MASTER if set, otherwise the first
    /// shared/data/cdnow/CDNOW_master.txt found walking up from the test binaries.
    /// </summary>
    public static string CdnowPath =>
        FindCdnow(Environment.GetEnvironmentVariable("CDNOW_MASTER"), AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("CDNOW_master.txt was not found. " + CdnowHowToGet);

    /// <summary>
    /// Why a test that reads the CDNOW file is skipped: the file is missing on a developer's machine. Null when
    /// the file is there, or on CI (<c>CI=true</c>), where missing data must fail the run rather than pass it quietly.
    /// </summary>
    public static string? CdnowSkipReason => SkipReason(
        Environment.GetEnvironmentVariable("CDNOW_MASTER"), Environment.GetEnvironmentVariable("CI"), AppContext.BaseDirectory);

    public static string? SkipReason(string? cdnowMaster, string? ci, string searchFrom) =>
        string.Equals(ci, "true", StringComparison.OrdinalIgnoreCase) || FindCdnow(cdnowMaster, searchFrom) is not null
            ? null
            : "Needs the public CDNOW data set, not found here. " + CdnowHowToGet;

    private static string? FindCdnow(string? cdnowMaster, string searchFrom)
    {
        if (!string.IsNullOrEmpty(cdnowMaster))
        {
            return File.Exists(cdnowMaster) ? cdnowMaster : null;
        }

        for (var directory = new DirectoryInfo(searchFrom); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "data", "cdnow", "CDNOW_master.txt");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that reads the CDNOW file: skipped, with where to get the file, when it is missing outside CI.</summary>
public sealed class CdnowFactAttribute : FactAttribute
{
    public CdnowFactAttribute() => Skip = TestData.CdnowSkipReason;
}
