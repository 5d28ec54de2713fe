namespace ClvPortal.Tests.Web.Analyses.BadInput;

/// <summary>
/// A read-only stream over generated chunks, so a file of millions of rows is produced as the upload reads
/// it and never held whole. With <paramref name="failAfterBytes"/> it throws an <see cref="IOException"/>
/// once that many bytes were handed out, as a connection that drops mid-upload does.
/// </summary>
internal sealed class ChunkStream(IEnumerable<ReadOnlyMemory<byte>> chunks, long failAfterBytes = -1) : Stream
{
    private readonly IEnumerator<ReadOnlyMemory<byte>> _chunks = chunks.GetEnumerator();
    private ReadOnlyMemory<byte> _current;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (failAfterBytes >= 0 && _position >= failAfterBytes)
        {
            throw new IOException("The connection was reset while the file was being sent.");
        }

        while (_current.IsEmpty)
        {
            if (!_chunks.MoveNext())
            {
                return 0;
            }

            _current = _chunks.Current;
        }

        var length = Math.Min(buffer.Length, _current.Length);
        if (failAfterBytes >= 0)
        {
            length = (int)Math.Min(length, failAfterBytes - _position);
        }

        _current.Span[..length].CopyTo(buffer);
        _current = _current[length..];
        _position += length;
        return length;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

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
            _chunks.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <summary><paramref name="unit"/> repeated <paramref name="times"/> times, in chunks of about 64 KB.</summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Repeat(byte[] unit, long times)
    {
        var perChunk = Math.Max(1, (64 * 1024) / unit.Length);
        var chunk = new byte[perChunk * unit.Length];
        for (var i = 0; i < perChunk; i++)
        {
            unit.CopyTo(chunk, i * unit.Length);
        }

        for (var left = times; left > 0; left -= perChunk)
        {
            yield return chunk.AsMemory(0, (int)(Math.Min(left, perChunk) * unit.Length));
        }
    }
}
