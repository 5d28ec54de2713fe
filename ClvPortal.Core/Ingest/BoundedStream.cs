namespace ClvPortal.Core.Ingest;

/// <summary>
/// Reads a zip entry but never more than a limit, whatever the entry's header claims: a zip bomb can
/// declare a small size and inflate to gigabytes. Reports bytes read for progress.
/// </summary>
internal sealed class BoundedStream(Stream inner, long limit, Func<Exception> tooLarge, Action<int>? onRead) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _read += read;
        if (_read > limit)
        {
            throw tooLarge();
        }

        onRead?.Invoke(read);
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
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
