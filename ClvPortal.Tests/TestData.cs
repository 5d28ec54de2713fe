namespace ClvPortal.Tests;

/// <summary>Where the test data sets live, without hard-coding a machine's paths.</summary>
public static class TestData
{
    /// <summary>
    /// The CDNOW master file (Fader &amp; Hardie): the CDNOW_MASTER environment variable, or the first
    /// shared/data/cdnow/CDNOW_master.txt found walking up from the test binaries.
    /// </summary>
    public static string CdnowPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("CDNOW_MASTER") is { Length: > 0 } fromEnvironment)
            {
                return fromEnvironment;
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "shared", "data", "cdnow", "CDNOW_master.txt");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("CDNOW_master.txt was not found: set the CDNOW_MASTER environment variable to the CDNOW_master.txt file.");
        }
    }
}
