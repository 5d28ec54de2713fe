namespace ClvPortal.Tests;

/// <summary>A newcomer's first run passes without the CDNOW file; CI still fails without it.</summary>
[Trait("Category", "Unit")]
public sealed class TestDataTests
{
    private static readonly string Missing = Path.Combine(Path.GetTempPath(), "no-such-folder", "CDNOW_master.txt");

    [Fact]
    public void SkipReason_FileMissingOnADevelopersMachine_SaysWhereToGetIt()
    {
        var reason = TestData.SkipReason(Missing, ci: null, searchFrom: Path.GetTempPath());

        Assert.NotNull(reason);
        Assert.Contains("brucehardie.com", reason, StringComparison.Ordinal);
        Assert.Contains("CDNOW_MASTER", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void SkipReason_FileMissingOnCi_RunsTheTestSoItFails()
    {
        Assert.Null(TestData.SkipReason(Missing, ci: "true", searchFrom: Path.GetTempPath()));
    }

    [Fact]
    public void SkipReason_FileThere_RunsTheTest()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Null(TestData.SkipReason(file, ci: null, searchFrom: Path.GetTempPath()));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
