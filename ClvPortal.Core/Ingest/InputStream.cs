namespace ClvPortal.Core.Ingest;

/// <summary>
/// The user's stream with its first bytes (read for detection) put back in front, so a non-seekable
/// upload is still read once from the start. Counts bytes handed out, for progress.
/// </summary>
/// <param name="ownsRest">Whether disposing this stream disposes <paramref name="rest"/> (not the user's stream, but a zip entry's).</param>
internal sealed class InputStream(byte[] prefix, int prefixLength, Stream rest, bool restExhausted, bool ownsRest = false) : Stream
{
    private int _prefixPosition;

    public long Consumed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => Consumed;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        if (_prefixPosition < prefixLength)
        {
            read = Math.Min(buffer.Length, prefixLength - _prefixPosition);
            prefix.AsSpan(_prefixPosition, read).CopyTo(buffer);
            _prefixPosition += read;
        }
        else
        {
            read = restExhausted ? 0 : rest.Read(buffer);
        }

        Consumed += read;
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing && ownsRest)
        {
            rest.Dispose();
        }

        base.Dispose(disposing);
    }
}
