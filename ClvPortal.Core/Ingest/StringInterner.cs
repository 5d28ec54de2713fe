using System.Numerics;
using System.Runtime.InteropServices;

namespace ClvPortal.Core.Ingest;

/// <summary>
/// Hands out one string per distinct value (customer ids, countries, invoice numbers) looked up by span,
/// so a million rows of a few thousand customers allocate a few thousand strings, not a million.
/// Past <see cref="MaxEntries"/> distinct values it stops remembering new ones, so memory stays bounded
/// when a column turns out to be unique per row.
/// </summary>
internal sealed class StringInterner
{
    private const int MaxEntries = 2_000_000;
    private const int MaxStackChars = 256;
    private readonly bool _remember;
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private string _last = "";

    // The previous value's bytes, when it came as ASCII bytes (-1 otherwise): comparing bytes with bytes is the cheaper test.
    private readonly byte[] _lastAscii = new byte[32];
    private int _lastAsciiLength = -1;

    /// <param name="remember">
    /// False for invoice numbers: their count grows with the rows, so only the previous value is kept
    /// (an invoice's lines are consecutive), keeping memory proportional to customers, not rows.
    /// </param>
    public StringInterner(bool remember = true)
    {
        _remember = remember;
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <param name="value">Characters, or the bytes of ASCII text.</param>
    public string Intern<TChar>(ReadOnlySpan<TChar> value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        // Lines of one invoice repeat its number, customer and country: the previous value is the best guess.
        if (typeof(TChar) == typeof(byte) && _lastAsciiLength >= 0)
        {
            if (MemoryMarshal.Cast<TChar, byte>(value).SequenceEqual(_lastAscii.AsSpan(0, _lastAsciiLength)))
            {
                return _last;
            }
        }
        else if (value.Length == _last.Length && CodeUnits.Equals(value, _last))
        {
            return _last;
        }

        var interned = Lookup(value);
        _lastAsciiLength = typeof(TChar) == typeof(byte) && value.Length <= _lastAscii.Length ? value.Length : -1;
        if (_lastAsciiLength > 0)
        {
            MemoryMarshal.Cast<TChar, byte>(value).CopyTo(_lastAscii);
        }

        return interned;
    }

    private string Lookup<TChar>(ReadOnlySpan<TChar> value)
        where TChar : unmanaged, IBinaryInteger<TChar>
    {
        if (typeof(TChar) == typeof(char))
        {
            return LookupChars(MemoryMarshal.Cast<TChar, char>(value));
        }

        if (value.Length > MaxStackChars)
        {
            return LookupChars(CodeUnits.AsChars(value, new char[value.Length]));
        }

        Span<char> chars = stackalloc char[MaxStackChars];
        return LookupChars(CodeUnits.AsChars(value, chars));
    }

    private string LookupChars(ReadOnlySpan<char> value)
    {
        if (!_remember)
        {
            return _last = value.ToString();
        }

        if (_lookup.TryGetValue(value, out var existing))
        {
            _last = existing;
            return existing;
        }

        var created = value.ToString();
        if (_strings.Count < MaxEntries)
        {
            _strings[created] = created;
        }

        _last = created;
        return created;
    }
}
