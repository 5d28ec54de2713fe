namespace ClvPortal.Tests;

/// <summary>Where the tests find the public data sets they check published numbers against.</summary>
public static class TestData
{
    /// <summary>
    /// The CDNOW master file (Fader, Hardie &amp; Lee 2005): CDNOW_MASTER if set, otherwise the first
    /// shared/data/cdnow/CDNOW_master.txt found walking up from the test binaries.
    /// </summary>
    public static string CdnowPath
    {
        get
        {
            var configured = Environment.GetEnvironmentVariable("CDNOW_MASTER");
            if (!string.IsNullOrEmpty(configured))
            {
                return configured;
            }

            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "shared", "data", "cdnow", "CDNOW_master.txt");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException("CDNOW_master.txt was not found: set the CDNOW_MASTER environment variable to the CDNOW_master.txt file.");
        }
    }
}
