using System.Text;
using ClvPortal.Core;
using ClvPortal.Core.Ingest;

namespace ClvPortal.Tests.Core.Ingest;

/// <summary>Opens in-memory files the way uploads arrive: a stream and a file name.</summary>
internal static class IngestTestFiles
{
    public static TransactionFile OpenText(string text, string fileName = "orders.csv", IngestOptions? options = null, Encoding? encoding = null) =>
        Open((encoding ?? new UTF8Encoding(false)).GetPreamble().Concat((encoding ?? new UTF8Encoding(false)).GetBytes(text)).ToArray(), fileName, options);

    public static TransactionFile Open(byte[] bytes, string fileName, IngestOptions? options = null) =>
        TransactionFile.Open(new MemoryStream(bytes), fileName, options ?? new IngestOptions());

    public static List<TransactionRow> ReadAll(string text, string fileName = "orders.csv", IngestOptions? options = null)
    {
        using var file = OpenText(text, fileName, options);
        return file.ReadRows().ToList();
    }

    public static InputProblem ProblemOf(Action open) => Assert.Throws<InputProblemException>(open).Problem;
}
