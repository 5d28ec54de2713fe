using ClvPortal.Core;
using ClvPortal.Core.Ingest;
using ClvPortal.Core.Pipeline;

namespace ClvPortal.Tests.Core.Pipeline;

public sealed class ReadAheadTests
{
    private static IEnumerable<TransactionRow> Rows(int count, bool failAtEnd)
    {
        for (var i = 1; i <= count; i++)
        {
            yield return new TransactionRow(i, null, "c", null, null, null, null, null, null, null, RowFlaws.None, (ulong)i);
        }

        if (failAtEnd)
        {
            throw new InputProblemException(new InputProblem("The workbook is damaged or incomplete.", "Save it again."));
        }
    }

    [Fact]
    public void Rows_ManyBatches_ArriveCompleteAndInFileOrder()
    {
        var lines = ReadAhead.Rows(Rows(10_001, failAtEnd: false), CancellationToken.None).Select(r => r.Line).ToList();

        Assert.Equal(Enumerable.Range(1, 10_001).Select(i => (long)i), lines);
    }

    [Fact]
    public void Rows_ReaderFailsLateInTheFile_SurfacesTheProblemToTheCaller()
    {
        var problem = Assert.Throws<InputProblemException>(() => ReadAhead.Rows(Rows(9_000, failAtEnd: true), CancellationToken.None).Count());

        Assert.Contains("damaged", problem.Problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rows_CallerStopsEarly_ReturnsWithoutWaitingForTheWholeFile()
    {
        var first = ReadAhead.Rows(Rows(int.MaxValue, failAtEnd: false), CancellationToken.None).Take(5).Select(r => r.Line);

        Assert.Equal([1L, 2, 3, 4, 5], first);
    }
}
