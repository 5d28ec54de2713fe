namespace ClvPortal.Core.Ingest;

/// <summary>
/// One record at a time from a CSV, CDNOW or XLSX source, its fields exposed as spans so the hot
/// loop can parse them without allocating a string per field. A record's spans are valid until the
/// next <see cref="Read"/>.
/// </summary>
internal abstract class RecordReader : IDisposable
{
    /// <summary>Moves to the next non-blank record; false at the end of the input.</summary>
    public abstract bool Read();

    public abstract int FieldCount { get; }

    /// <summary>1-based line (CSV) or row (XLSX) where the current record starts.</summary>
    public abstract long Line { get; }

    /// <summary>The worksheet of the current record (XLSX), otherwise null.</summary>
    public virtual string? Sheet => null;

    public abstract ReadOnlySpan<char> Field(int index);

    /// <summary>Whether the current record is all ASCII, so that <see cref="AsciiField"/> gives its fields' bytes, which are their characters.</summary>
    public virtual bool IsAscii => false;

    /// <summary>Field <paramref name="index"/> of an ASCII record (<see cref="IsAscii"/>) as its bytes: read without widening it to UTF-16.</summary>
    public virtual ReadOnlySpan<byte> AsciiField(int index) => throw new InvalidOperationException("Only an ASCII record has its fields as bytes.");

    /// <summary>
    /// The record's fields joined by the separator as UTF-8, when the reader has them contiguous (CSV); empty
    /// otherwise. Hashing one span per row instead of one per field is a tenth of the per-row cost.
    /// </summary>
    public virtual ReadOnlySpan<byte> RecordBytes => [];

    public string[] FieldsAsStrings()
    {
        var fields = new string[FieldCount];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = Field(i).ToString();
        }

        return fields;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
