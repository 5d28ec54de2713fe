namespace ClvPortal.Tests;

/// <summary>Where the test data sets live on this machine.</summary>
public static class TestData
{
    /// <summary>
    /// The full CDNOW transaction file (23,570 customers): the CDNOW_MASTER environment variable if
    /// set, otherwise the first shared/data/cdnow/CDNOW_master.txt found walking up from the test binaries.
    /// </summary>
    public static string CdnowPath
    {
        get
        {
            var fromEnvironment = Environment.GetEnvironmentVariable("CDNOW_MASTER");
            if (!string.IsNullOrEmpty(fromEnvironment))
            {
                return fromEnvironment;
            }

            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "data", "cdnow", "CDNOW_master.txt");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("CDNOW_master.txt not found: set CDNOW_MASTER to the CDNOW_master.txt file.");
        }
    }
}
