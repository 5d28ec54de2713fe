namespace ClvPortal.Core.Ingest;

/// <summary>
/// Text whose lines end with a lone CR (classic Mac OS, some old exports) read as if they ended with LF,
/// so the record reader, which splits on LF, sees lines. Used only when the sample has no LF at all.
/// </summary>
internal sealed class CarriageReturnReader(TextReader inner) : TextReader
{
    public override int Peek() => AsLineFeed(inner.Peek());

    public override int Read() => AsLineFeed(inner.Read());

    public override int Read(char[] buffer, int index, int count)
    {
        var read = inner.Read(buffer, index, count);
        buffer.AsSpan(index, read).Replace('\r', '\n');
        return read;
    }

    public override int Read(Span<char> buffer)
    {
        var read = inner.Read(buffer);
        buffer[..read].Replace('\r', '\n');
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int AsLineFeed(int c) => c == '\r' ? '\n' : c;
}
