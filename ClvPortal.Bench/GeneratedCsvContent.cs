using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ClvPortal.Bench;

/// <summary>
/// A CSV of exactly the requested size, generated while it is sent (never held in memory): 100,000
/// customers buying on dates across three years, like a real shop export.
/// </summary>
internal sealed class GeneratedCsvContent : HttpContent
{
    private readonly long _bytes;

    public GeneratedCsvContent(long bytes)
    {
        _bytes = bytes;
        Headers.ContentType = new MediaTypeHeaderValue("text/csv");
    }

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
    {
        var header = "customer_id,order_date,amount\n"u8.ToArray();
        var buffer = new byte[256 * 1024];
        header.CopyTo(buffer, 0);
        var used = header.Length;
        long written = 0;
        var row = 0L;
        var start = new DateOnly(2022, 1, 1);
        while (written < _bytes)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"C{row * 7919 % 100_000:D6},{start.AddDays((int)(row * 31 % 1096)):yyyy-MM-dd},{5 + (row * 13 % 500) / 10.0:0.00}\n");
            var length = Encoding.ASCII.GetBytes(line, buffer.AsSpan(used));
            used += length;
            row++;
            if (used > buffer.Length - 64 || written + used >= _bytes)
            {
                var take = (int)Math.Min(used, _bytes - written);
                await stream.WriteAsync(buffer.AsMemory(0, take));
                written += take;
                used = 0;
            }
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        length = _bytes;
        return true;
    }
}
